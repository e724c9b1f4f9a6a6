"""Build taxonomy.json, the sandbox's Jet category tree (deterministic; run once).

    python -m jettui.jet.sandbox.gen_taxonomy

Three levels (0–2). Each top-level category owns a block of ids (``N000000``) like Jet's, so
sample ids from integrations (4000188, 3000001, 5000058, 12000120) exist.

:data:`TREE` is the original tree; :data:`ADDED` extends it so that every kind of product in
the demo store (jettui/store/data/catalog.json) has a fitting leaf. Its nodes take ids after
the original ones of their block (new top-level categories get new blocks), so the ids a
merchant already mapped never move.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("taxonomy.json")

TREE: dict[str, dict[str, list[str]]] = {
    "Electronics": {
        "TV & Video": [
            "Televisions",
            "Projectors",
            "Streaming Media Players",
            "TV Mounts",
            "Blu-ray Players",
        ],
        "Computers": ["Laptops", "Desktops", "Monitors", "Keyboards", "Computer Mice", "Tablets"],
        "Audio": [
            "Headphones",
            "Bluetooth Speakers",
            "Soundbars",
            "Home Theater Receivers",
            "Turntables",
        ],
        "Cameras": ["Digital Cameras", "Camera Lenses", "Tripods", "Action Cameras", "Camera Bags"],
        "Cell Phones": [
            "Unlocked Phones",
            "Phone Cases",
            "Chargers & Cables",
            "Screen Protectors",
            "Power Banks",
        ],
    },
    "Home & Garden": {
        "Kitchen & Dining": [
            "Cookware",
            "Bakeware",
            "Cutlery",
            "Small Appliances",
            "Dinnerware",
            "Food Storage",
        ],
        "Bedding": ["Sheets", "Comforters", "Pillows", "Blankets & Throws", "Mattress Pads"],
        "Bath": [
            "Bath Towels",
            "Shower Curtains",
            "Bath Rugs",
            "Bathroom Accessories",
            "Bath Storage",
        ],
        "Home Decor": ["Wall Art", "Candles", "Vases", "Picture Frames", "Clocks", "Mirrors"],
        "Patio & Garden": [
            "Grills",
            "Patio Furniture",
            "Planters",
            "Garden Hoses",
            "Outdoor Lighting",
        ],
        "Storage & Organization": [
            "Closet Organizers",
            "Storage Bins",
            "Shelving",
            "Laundry Baskets",
        ],
    },
    "Grocery & Gourmet Food": {
        "Beverages": ["Coffee", "Tea", "Juice", "Bottled Water", "Sports Drinks", "Soda"],
        "Snacks": [
            "Chips & Pretzels",
            "Cookies",
            "Crackers",
            "Nuts & Seeds",
            "Jerky",
            "Snack Bars",
        ],
        "Pantry Staples": [
            "Pasta",
            "Rice & Grains",
            "Canned Goods",
            "Sauces",
            "Spices & Seasonings",
            "Baking Mixes",
        ],
        "Breakfast Foods": ["Cereal", "Oatmeal", "Pancake Mixes", "Syrups", "Granola"],
        "Candy & Chocolate": ["Chocolate", "Gummies", "Hard Candy", "Mints", "Gum"],
    },
    "Health & Beauty": {
        "Skin Care": ["Face Moisturizers", "Cleansers", "Sunscreen", "Serums", "Body Lotions"],
        "Hair Care": ["Shampoo", "Conditioner", "Hair Styling", "Hair Dryers", "Hair Brushes"],
        "Vitamins & Supplements": [
            "Multivitamins",
            "Protein Powders",
            "Fish Oil",
            "Probiotics",
            "Herbal Supplements",
        ],
        "Oral Care": [
            "Toothpaste",
            "Toothbrushes",
            "Electric Toothbrushes",
            "Mouthwash",
            "Dental Floss",
        ],
        "Makeup": ["Foundation", "Lipstick", "Mascara", "Eyeshadow", "Makeup Brushes"],
        "Medicine Cabinet": [
            "Pain Relievers",
            "Allergy Medicine",
            "First Aid",
            "Cold & Flu",
            "Digestive Health",
        ],
    },
    "Clothing, Shoes & Accessories": {
        "Women's Clothing": [
            "Dresses",
            "Women's Tops",
            "Women's Jeans",
            "Women's Activewear",
            "Women's Outerwear",
        ],
        "Men's Clothing": [
            "Men's Shirts",
            "Men's Pants",
            "Men's Activewear",
            "Men's Outerwear",
            "Men's Underwear",
        ],
        "Shoes": ["Running Shoes", "Sandals", "Boots", "Sneakers", "Slippers"],
        "Accessories": ["Handbags", "Wallets", "Belts", "Sunglasses", "Hats", "Watches"],
        "Kids' Clothing": ["Baby Clothing", "Girls' Clothing", "Boys' Clothing", "Kids' Shoes"],
    },
    "Toys & Games": {
        "Building Toys": ["Building Sets", "Magnetic Tiles", "Marble Runs", "Wooden Blocks"],
        "Games & Puzzles": ["Board Games", "Card Games", "Jigsaw Puzzles", "Brain Teasers"],
        "Dolls & Accessories": ["Fashion Dolls", "Baby Dolls", "Dollhouses", "Doll Clothing"],
        "Outdoor Play": ["Bikes & Scooters", "Water Toys", "Sports Toys", "Swing Sets", "Kites"],
        "Arts & Crafts": ["Drawing & Painting", "Craft Kits", "Modeling Clay", "Stickers"],
    },
    "Baby": {
        "Diapering": ["Disposable Diapers", "Baby Wipes", "Diaper Bags", "Changing Pads"],
        "Feeding": ["Baby Bottles", "Breast Pumps", "High Chairs", "Baby Food", "Bibs"],
        "Baby Gear": ["Strollers", "Car Seats", "Baby Carriers", "Playards", "Baby Monitors"],
        "Nursery": ["Cribs", "Crib Mattresses", "Nursery Decor", "Swaddles"],
    },
    "Sports & Outdoors": {
        "Exercise & Fitness": [
            "Yoga Mats",
            "Dumbbells",
            "Treadmills",
            "Resistance Bands",
            "Exercise Bikes",
        ],
        "Camping & Hiking": ["Tents", "Sleeping Bags", "Backpacks", "Camping Stoves", "Headlamps"],
        "Cycling": ["Road Bikes", "Mountain Bikes", "Bike Helmets", "Bike Lights", "Bike Locks"],
        "Team Sports": ["Basketball", "Soccer", "Baseball & Softball", "Football", "Volleyball"],
        "Water Sports": ["Swimming", "Kayaks", "Paddle Boards", "Life Jackets"],
    },
    "Pets": {
        "Dogs": ["Dog Food", "Dog Treats", "Dog Toys", "Dog Beds", "Dog Collars & Leashes"],
        "Cats": ["Cat Food", "Cat Litter", "Cat Toys", "Cat Trees", "Cat Treats"],
        "Fish & Aquatics": ["Aquariums", "Fish Food", "Aquarium Filters", "Aquarium Decor"],
        "Small Animals": ["Small Animal Food", "Small Animal Cages", "Bedding & Litter"],
    },
    "Office Supplies": {
        "Paper": ["Printer Paper", "Notebooks", "Sticky Notes", "Envelopes"],
        "Writing Supplies": ["Pens", "Pencils", "Markers", "Highlighters"],
        "Office Furniture": ["Office Chairs", "Desks", "Filing Cabinets", "Bookcases"],
        "Ink & Toner": ["Ink Cartridges", "Toner Cartridges", "3D Printer Filament"],
    },
    "Household Essentials": {
        "Cleaning Supplies": [
            "All-Purpose Cleaners",
            "Dish Soap",
            "Sponges & Scrubbers",
            "Trash Bags",
            "Disinfecting Wipes",
        ],
        "Laundry": ["Laundry Detergent", "Fabric Softener", "Stain Removers", "Dryer Sheets"],
        "Paper & Plastic": [
            "Paper Towels",
            "Toilet Paper",
            "Facial Tissues",
            "Disposable Tableware",
        ],
        "Air Fresheners": ["Sprays", "Plug-ins", "Odor Eliminators"],
    },
    "Automotive": {
        "Car Care": ["Car Wash", "Car Wax", "Interior Care", "Microfiber Towels"],
        "Car Electronics": ["Dash Cams", "Car Stereos", "GPS Navigation", "Car Phone Mounts"],
        "Replacement Parts": ["Wiper Blades", "Air Filters", "Car Batteries", "Headlight Bulbs"],
        "Tools & Equipment": ["Jump Starters", "Tire Inflators", "Jacks & Stands"],
    },
}

# Added later (ids after the original ones, see the module docstring): new leaves under existing
# level-1 categories, new level-1 categories, new top-level categories.
ADDED: dict[str, dict[str, list[str]]] = {
    "Home & Garden": {
        "Kitchen & Dining": ["Drinkware"],
        "Bedding": ["Duvet Covers"],
        "Patio & Garden": ["Garden Tools"],
        "Lighting": ["Desk Lamps", "Floor Lamps", "String Lights", "Ceiling Lights"],
    },
    "Electronics": {
        "Computers": ["Data Storage", "Laptop Bags & Sleeves", "Monitor Arms & Mounts"],
        "Smart Home": ["Smart Plugs", "Video Doorbells", "Smart Thermostats", "Smart Lighting"],
    },
    "Clothing, Shoes & Accessories": {
        "Women's Clothing": ["Women's Leggings"],
        "Men's Clothing": ["Men's Hoodies & Sweatshirts", "Men's T-Shirts"],
        "Accessories": ["Socks"],
        "Shoes": ["Hiking Boots"],
    },
    "Pets": {"Cats": ["Cat Litter Boxes", "Cat Scratchers"]},
    "Office Supplies": {"Desk Accessories": ["Desk Organizers", "Desk Mats"]},
    "Books": {
        "Fiction": ["Literary Fiction", "Mystery & Thrillers", "Science Fiction & Fantasy",
                    "Romance"],
        "Cookbooks, Food & Wine": ["Cookbooks", "Baking", "Wine & Beverages"],
        "Children's Books": ["Picture Books", "Early Readers", "Middle Grade"],
        "Business & Money": ["Management & Leadership", "Personal Finance", "Entrepreneurship"],
        "Nonfiction": ["History", "Biographies & Memoirs", "Science", "Self-Help"],
    },
    "Tools & Home Improvement": {
        "Hand Tools": ["Screwdrivers", "Hammers", "Measuring Tools", "Wrenches", "Pliers"],
        "Power Tools": ["Drills", "Saws", "Sanders"],
        "Power Tool Accessories": ["Drill Bits", "Saw Blades", "Power Tool Batteries"],
    },
}  # fmt: skip

# Sample ids used by integrations, pinned onto realistic leaves (top-level block + offset).
PINNED: dict[str, int] = {
    "Home & Garden/Kitchen & Dining/Cookware": 4000188,
    "Grocery & Gourmet Food/Beverages/Coffee": 3000001,
    "Health & Beauty/Skin Care/Sunscreen": 5000058,
    "Household Essentials/Cleaning Supplies/All-Purpose Cleaners": 12000120,
}
BLOCK_OF = {
    "Electronics": 1, "Clothing, Shoes & Accessories": 2, "Grocery & Gourmet Food": 3,
    "Home & Garden": 4, "Health & Beauty": 5, "Toys & Games": 6, "Baby": 7,
    "Sports & Outdoors": 8, "Pets": 9, "Office Supplies": 10, "Automotive": 11,
    "Household Essentials": 12, "Books": 13, "Tools & Home Improvement": 14,
}  # fmt: skip

TAX_BY_TOP = {
    "Grocery & Gourmet Food": "General Grocery Items", "Clothing, Shoes & Accessories": "General Clothing",
    "Baby": "Baby Supplies", "Pets": "Pet Foods",
}  # fmt: skip

# Attribute templates: (id, description, variant, free_text, values, units, data_type)
AttrTemplate = tuple[int, str, bool, bool, list[str], list[str], str]
COLOR: AttrTemplate = (
    1,
    "Color",
    True,
    False,
    ["Black", "White", "Red", "Blue", "Green", "Gray", "Silver", "Pink"],
    [],
    "string",
)
SIZE: AttrTemplate = (119, "Size", True, False, ["XS", "S", "M", "L", "XL", "XXL"], [], "string")
SHOE_SIZE: AttrTemplate = (
    120,
    "Shoe Size",
    True,
    False,
    [str(s / 2) for s in range(10, 30)],
    [],
    "decimal",
)
MATERIAL: AttrTemplate = (
    2,
    "Material",
    False,
    True,
    ["Cotton", "Polyester", "Leather", "Stainless Steel", "Plastic", "Wood"],
    [],
    "string",
)
WEIGHT: AttrTemplate = (3, "Item Weight", False, True, [], ["lb", "oz", "kg", "g"], "decimal")
VOLUME: AttrTemplate = (4, "Volume", True, True, [], ["fl oz", "ml", "l", "gal"], "decimal")
COUNT: AttrTemplate = (5, "Count", True, True, [], [], "int")
FLAVOR: AttrTemplate = (
    6,
    "Flavor",
    True,
    False,
    ["Original", "Vanilla", "Chocolate", "Strawberry", "Mint", "Unflavored"],
    [],
    "string",
)
SCREEN: AttrTemplate = (7, "Screen Size", True, True, [], ["in"], "decimal")
STORAGE: AttrTemplate = (
    8,
    "Storage Capacity",
    True,
    False,
    ["32GB", "64GB", "128GB", "256GB", "512GB", "1TB"],
    [],
    "string",
)
AGE: AttrTemplate = (
    9,
    "Age Range",
    False,
    False,
    ["0-12 months", "1-2 years", "3-4 years", "5-7 years", "8-11 years", "12+ years"],
    [],
    "string",
)
GENDER: AttrTemplate = (
    10,
    "Gender",
    False,
    False,
    ["Women", "Men", "Unisex", "Girls", "Boys"],
    [],
    "string",
)
DIMENSIONS: AttrTemplate = (11, "Length", False, True, [], ["in", "ft", "cm"], "decimal")
POWER: AttrTemplate = (
    12,
    "Power Source",
    False,
    False,
    ["Battery", "Corded Electric", "Solar", "Manual"],
    [],
    "string",
)
SCENT: AttrTemplate = (
    13,
    "Scent",
    True,
    False,
    ["Unscented", "Lavender", "Citrus", "Fresh Linen", "Vanilla"],
    [],
    "string",
)
CAPACITY: AttrTemplate = (14, "Capacity", True, True, [], ["qt", "cups", "l"], "decimal")
PACK: AttrTemplate = (15, "Pack Size", True, True, [], [], "int")
BOOK_FORMAT: AttrTemplate = (
    16,
    "Format",
    True,
    False,
    ["Hardcover", "Paperback", "Board Book"],
    [],
    "string",
)
PAGES: AttrTemplate = (17, "Number of Pages", False, True, [], [], "int")
LANGUAGE: AttrTemplate = (
    18,
    "Language",
    False,
    False,
    ["English", "Spanish", "French", "German"],
    [],
    "string",
)

TEMPLATES = {
    "Electronics": [COLOR, SCREEN, STORAGE, POWER, WEIGHT],
    "Home & Garden": [COLOR, MATERIAL, CAPACITY, DIMENSIONS, WEIGHT],
    "Grocery & Gourmet Food": [FLAVOR, WEIGHT, VOLUME, PACK],
    "Health & Beauty": [SCENT, VOLUME, COUNT, GENDER],
    "Clothing, Shoes & Accessories": [SIZE, COLOR, MATERIAL, GENDER, SHOE_SIZE],
    "Toys & Games": [AGE, COLOR, COUNT, POWER],
    "Baby": [AGE, COLOR, SIZE, COUNT],
    "Sports & Outdoors": [COLOR, SIZE, WEIGHT, MATERIAL],
    "Pets": [FLAVOR, WEIGHT, SIZE, COUNT],
    "Office Supplies": [COLOR, COUNT, MATERIAL, PACK],
    "Household Essentials": [SCENT, COUNT, VOLUME, PACK],
    "Automotive": [DIMENSIONS, POWER, COLOR, WEIGHT],
    "Books": [BOOK_FORMAT, PAGES, LANGUAGE, AGE],
    "Tools & Home Improvement": [POWER, MATERIAL, DIMENSIONS, WEIGHT, PACK],
}


# The variant attributes a leaf's products are sold by, whatever the subset above drew: Jet's
# clothing is refined by Size and Color, shoes by Shoe Size and Color, headphones by Color
# (a merchant's Size option must find a Size, never a Shoe Size). Added after the drawn ones.
VARIANTS_OF: dict[str, list[AttrTemplate]] = {
    "Clothing, Shoes & Accessories/Men's Clothing/": [SIZE, COLOR],
    "Clothing, Shoes & Accessories/Women's Clothing/": [SIZE, COLOR],
    "Clothing, Shoes & Accessories/Accessories/Socks": [SIZE, COLOR],
    "Clothing, Shoes & Accessories/Shoes/": [SHOE_SIZE, COLOR],
    "Electronics/Audio/Headphones": [COLOR],
}


def _attribute(template: tuple) -> dict:
    attr_id, desc, variant, free_text, values, units, data_type = template
    validation = {"data_type": data_type, "min_value": 0 if data_type != "string" else None,
                  "max_value": 10000 if data_type != "string" else None}  # fmt: skip
    return {"attribute_id": attr_id, "attribute_description": desc, "free_text": free_text,
            "variant": variant, "values": values, "units": units, "validation": validation}  # fmt: skip


def build() -> dict:
    nodes: list[dict] = []
    attributes: dict[str, list[dict]] = {}
    used = set(PINNED.values())
    ids: dict[str, int] = {}  # path → node id
    seqs: dict[str, int] = {}  # top → last sequence number used in its block

    def add(path: str, parent: int | None, node_id: int | None = None) -> int:
        top, *rest = path.split("/")
        if node_id is None:
            node_id = next_id(top)
        level = len(rest)
        nodes.append({"jet_node_id": node_id, "jet_node_name": path.rsplit("/", 1)[-1],
                      "jet_node_path": path,
                      "amazon_node_ids": [node_id * 7 % 10_000_000 + 1_000_000], "parent_id": parent,
                      "jet_level": level, "suggested_tax_code": TAX_BY_TOP.get(top, "Generic Taxable Product"),
                      "active": True})  # fmt: skip
        ids[path] = node_id
        return node_id

    def next_id(top: str) -> int:
        block = BLOCK_OF[top] * 1_000_000
        seq = seqs.get(top, 0) + 1
        while block + seq in used:
            seq += 1
        used.add(block + seq)
        seqs[top] = seq
        return block + seq

    def leaves(top: str, mid: str, names: list[str], i: int) -> None:
        for j, leaf in enumerate(names):
            path = f"{top}/{mid}/{leaf}"
            leaf_id = add(path, ids[f"{top}/{mid}"], PINNED.get(path))
            template = TEMPLATES[top]
            # a deterministic 3–4 attribute subset per leaf
            picked = [template[(i + j + k) % len(template)] for k in range(3 + (i + j) % 2)]
            picked += [t for p, ts in VARIANTS_OF.items() if path.startswith(p) for t in ts]
            attributes[str(leaf_id)] = list({t[0]: _attribute(t) for t in picked}.values())

    for tree in (TREE, ADDED):
        for top, children in tree.items():
            if top not in ids:
                add(top, None, BLOCK_OF[top] * 1_000_000)
            for i, (mid, names) in enumerate(children.items()):
                if f"{top}/{mid}" not in ids:
                    add(f"{top}/{mid}", ids[top])
                leaves(top, mid, names, i)
                seqs[top] += 20  # leave room between level-1 groups, as real id blocks do
    assert len({n["jet_node_id"] for n in nodes}) == len(nodes), "duplicate node ids"
    return {"version": "1.03", "nodes": nodes, "attributes": attributes}


def main() -> None:
    data = build()
    OUT.write_text(
        json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{OUT}: {len(data['nodes'])} nodes")


if __name__ == "__main__":
    main()
