"""Random but plausible US buyers for generated orders."""

from __future__ import annotations

import random
from typing import Any

FIRST = ["Jane", "John", "Maria", "James", "Linda", "Robert", "Aisha", "Wei", "Carlos", "Emily"]
LAST = ["Doe", "Smith", "Garcia", "Johnson", "Nguyen", "Brown", "Patel", "Kim", "Lopez", "Miller"]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Washington Blvd", "Park Pl", "Cedar Ln", "Elm St"]
# (city, state, zip): real combinations
PLACES = [
    ("Hoboken", "NJ", "07030"), ("Midvale", "UT", "84047"), ("Austin", "TX", "78701"),
    ("Denver", "CO", "80202"), ("Seattle", "WA", "98101"), ("Miami", "FL", "33130"),
    ("Chicago", "IL", "60601"), ("Portland", "OR", "97205"), ("Boston", "MA", "02108"),
    ("Phoenix", "AZ", "85004"), ("Nashville", "TN", "37203"), ("Columbus", "OH", "43215"),
]  # fmt: skip


def random_buyer(rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    person = {"name": name, "phone_number": f"555{rng.randrange(10**6, 10**7)}"}
    city, state, zip_code = rng.choice(PLACES)
    address = {"address1": f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
               "address2": rng.choice(["", "", f"Apt {rng.randint(1, 40)}"]),
               "city": city, "state": state, "zip_code": zip_code}  # fmt: skip
    return person, address


# Every leaf category of the demo store (jettui/store/data/catalog.json, path joined with " > ")
# → the sandbox taxonomy leaf that fits its products (jet_node_path). The sandbox taxonomy holds
# one for every kind of product the demo sells; a getting-started path or a test can map the
# demo's categories with it.
DEMO_CATEGORY_PATHS: dict[str, str] = {
    "Kitchen & Dining > Cookware": "Home & Garden/Kitchen & Dining/Cookware",
    "Kitchen & Dining > Drinkware": "Home & Garden/Kitchen & Dining/Drinkware",
    "Kitchen & Dining > Cutlery & Knives": "Home & Garden/Kitchen & Dining/Cutlery",
    "Kitchen & Dining > Small Appliances": "Home & Garden/Kitchen & Dining/Small Appliances",
    "Home & Garden > Bedding": "Home & Garden/Bedding/Duvet Covers",
    "Home & Garden > Lighting": "Home & Garden/Lighting/Desk Lamps",
    "Home & Garden > Garden > Garden Tools": "Home & Garden/Patio & Garden/Garden Tools",
    "Home & Garden > Garden > Planters": "Home & Garden/Patio & Garden/Planters",
    "Electronics > Audio > Headphones": "Electronics/Audio/Headphones",
    "Electronics > Audio > Speakers": "Electronics/Audio/Bluetooth Speakers",
    "Electronics > Chargers & Cables": "Electronics/Cell Phones/Chargers & Cables",
    "Electronics > Smart Home": "Electronics/Smart Home/Smart Plugs",
    "Computers & Accessories > Keyboards & Mice": "Electronics/Computers/Keyboards",
    "Computers & Accessories > Laptop Bags & Sleeves": "Electronics/Computers/Laptop Bags & Sleeves",
    "Computers & Accessories > Data Storage": "Electronics/Computers/Data Storage",
    "Computers & Accessories > Monitors": "Electronics/Computers/Monitors",
    "Sports & Outdoors > Camping & Hiking": "Sports & Outdoors/Camping & Hiking/Tents",
    "Sports & Outdoors > Fitness": "Sports & Outdoors/Exercise & Fitness/Yoga Mats",
    "Sports & Outdoors > Cycling": "Sports & Outdoors/Cycling/Bike Helmets",
    "Clothing > Men > Men's T-Shirts": "Clothing, Shoes & Accessories/Men's Clothing/Men's T-Shirts",
    "Clothing > Men > Men's Hoodies & Sweatshirts":
        "Clothing, Shoes & Accessories/Men's Clothing/Men's Hoodies & Sweatshirts",
    "Clothing > Women > Women's Tops": "Clothing, Shoes & Accessories/Women's Clothing/Women's Tops",
    "Clothing > Women > Women's Leggings":
        "Clothing, Shoes & Accessories/Women's Clothing/Women's Leggings",
    "Clothing > Socks": "Clothing, Shoes & Accessories/Accessories/Socks",
    "Shoes > Running Shoes": "Clothing, Shoes & Accessories/Shoes/Running Shoes",
    "Shoes > Hiking Boots": "Clothing, Shoes & Accessories/Shoes/Hiking Boots",
    "Shoes > Sandals & Slides": "Clothing, Shoes & Accessories/Shoes/Sandals",
    "Toys & Games > Board Games": "Toys & Games/Games & Puzzles/Board Games",
    "Toys & Games > Puzzles": "Toys & Games/Games & Puzzles/Jigsaw Puzzles",
    "Toys & Games > Building Sets": "Toys & Games/Building Toys/Building Sets",
    "Books > Fiction": "Books/Fiction/Literary Fiction",
    "Books > Cookbooks": "Books/Cookbooks, Food & Wine/Cookbooks",
    "Books > Children's Books": "Books/Children's Books/Picture Books",
    "Books > Business & Money": "Books/Business & Money/Management & Leadership",
    "Health & Beauty > Skin Care": "Health & Beauty/Skin Care/Face Moisturizers",
    "Health & Beauty > Hair Care": "Health & Beauty/Hair Care/Shampoo",
    "Health & Beauty > Oral Care": "Health & Beauty/Oral Care/Electric Toothbrushes",
    "Pet Supplies > Dogs": "Pets/Dogs/Dog Beds",
    "Pet Supplies > Cats": "Pets/Cats/Cat Trees",
    "Office Supplies > Notebooks & Paper": "Office Supplies/Paper/Notebooks",
    "Office Supplies > Pens & Writing": "Office Supplies/Writing Supplies/Pens",
    "Office Supplies > Desk Accessories": "Office Supplies/Desk Accessories/Desk Organizers",
    "Tools & Home Improvement > Hand Tools": "Tools & Home Improvement/Hand Tools/Screwdrivers",
    "Tools & Home Improvement > Power Tool Accessories":
        "Tools & Home Improvement/Power Tool Accessories/Drill Bits",
}  # fmt: skip
