"""The Jet attributes of a product's node, and which Jet variant attribute each of its
select/radio options maps to.

The node's attributes come from the taxonomy cache (``JetTaxonomyNode.attributes``: Jet's
objects with ``attribute_description``, ``values``, ``units``, ``free_text``, ``variant`` and
``validation``). The merchant's choices are kept in the product's Jet data: ``attributes``
(sent as ``attributes_node_specific``) and ``option_attributes`` (OpenCart option id → Jet
attribute id, read by payload.py's ``_refinements``). Store reads are synchronous (store
thread).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

AUTO = "auto"  # an option whose variant attribute is chosen automatically


@dataclass(frozen=True)
class NodeAttribute:
    """One attribute of a Jet node, as the taxonomy cache has it."""

    attribute_id: int
    name: str
    values: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    free_text: bool = True
    variant: bool = False
    data_type: str = "string"
    min_value: float | None = None
    max_value: float | None = None

    @classmethod
    def from_jet(cls, item: dict[str, Any]) -> NodeAttribute | None:
        """Jet's attribute object → NodeAttribute (None when it has no usable id)."""
        value = item.get("attribute_id")
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            return None
        raw = item.get("validation")
        check: dict[str, Any] = raw if isinstance(raw, dict) else {}
        values = tuple(str(v) for v in item.get("values") or [])
        return cls(
            attribute_id=value,
            name=str(item.get("attribute_description") or f"attribute {value}"),
            values=values,
            units=tuple(str(u) for u in item.get("units") or []),
            free_text=bool(item.get("free_text", not values)),
            variant=bool(item.get("variant")),
            data_type=str(check.get("data_type") or "string"),
            min_value=check.get("min_value"),
            max_value=check.get("max_value"),
        )

    @property
    def pick_only(self) -> bool:
        """The merchant picks one of Jet's values (no free text)."""
        return bool(self.values) and not self.free_text

    def describe(self) -> str:
        """One line: ``7 Screen Size (variant): number in in`` / ``1 Color: Black, White…``."""
        head = f"{self.attribute_id} {self.name}" + (" (variant)" if self.variant else "")
        if self.values:
            shown = ", ".join(self.values[:8]) + ("…" if len(self.values) > 8 else "")
            kind = shown + ("" if self.pick_only else " or free text")
        elif self.data_type in ("decimal", "integer", "int"):
            kind = "a number"
        else:
            kind = "free text"
        if self.units:
            kind += f" in {' / '.join(self.units)}"
        return f"{head}: {kind}"

    def check(self, value: str, unit: str) -> list[str]:
        """Problems of ``value`` (and ``unit``) for this attribute, one line each."""
        where = f"attribute {self.name}"
        problems = []
        if self.pick_only and value not in self.values:
            problems.append(f"{where}: '{value}' is not one of {', '.join(self.values)}")
        if self.data_type in ("decimal", "integer", "int") and not self.values:
            problems += self._number(value, where)
        if unit and self.units and unit not in self.units:
            problems.append(f"{where}: unit '{unit}' is not one of {', '.join(self.units)}")
        elif unit and not self.units:
            problems.append(f"{where}: takes no unit")
        elif self.units and not unit:
            problems.append(f"{where}: choose a unit ({', '.join(self.units)})")
        return problems

    def _number(self, value: str, where: str) -> list[str]:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return [f"{where}: '{value}' is not a number"]
        if not number.is_finite():
            return [f"{where}: '{value}' is not a number"]
        if self.min_value is not None and number < Decimal(str(self.min_value)):
            return [f"{where}: at least {self.min_value}"]
        if self.max_value is not None and number > Decimal(str(self.max_value)):
            return [f"{where}: at most {self.max_value}"]
        return []


@dataclass
class ProductOption:
    """A select/radio option of a product, and the Jet variant attribute it maps to."""

    option_id: int
    name: str
    attribute_id: int | None = None  # the merchant's choice; None = automatic
    choices: list[NodeAttribute] = field(default_factory=list)


def node_attributes(node_id: int | None) -> list[NodeAttribute]:
    """The cached attributes of a Jet node ([] when the node or its attributes are not cached)."""
    from jettui.store.jet_tables import JetTaxonomyNode

    if node_id is None:
        return []
    node = JetTaxonomyNode.get_or_none(JetTaxonomyNode.jet_node_id == node_id)
    items = node.attributes if node is not None else []
    out = [NodeAttribute.from_jet(a) for a in items or [] if isinstance(a, dict)]
    return [a for a in out if a is not None]


def describe_all(items: list[dict[str, Any]]) -> list[str]:
    """The taxonomy browser's lines: each attribute with its values and units."""
    out = [NodeAttribute.from_jet(a) for a in items if isinstance(a, dict)]
    return [a.describe() for a in out if a is not None]


def product_node(product_id: int) -> int | None:
    """The Jet node of the product's first mapped category (the one payload.py sends)."""
    from jettui.store.jet_tables import JetCategory
    from jettui.store.opencart import ProductToCategory

    row = (
        JetCategory.select(JetCategory.jet_node_id)
        .join(ProductToCategory, on=ProductToCategory.category_id == JetCategory.category_id)
        .where(ProductToCategory.product_id == product_id)
        .order_by(JetCategory.category_id)
        .first()
    )
    return int(row.jet_node_id) if row else None


def product_options(product_id: int, language_id: int) -> list[tuple[int, str]]:
    """(option id, name) of the product's select/radio options, in the store's order."""
    from jettui.store.base import tuple_rows
    from jettui.store.opencart import Option, OptionDescription, ProductOption

    rows = (
        ProductOption.select(ProductOption.option_id, Option.type)
        .join(Option, on=Option.option_id == ProductOption.option_id)
        .where(ProductOption.product_id == product_id)
        .order_by(ProductOption.product_option_id)
    )
    out: list[tuple[int, str]] = []
    for option_id, option_type in tuple_rows(rows):
        if option_type not in ("select", "radio"):
            continue
        name = OptionDescription.get_or_none(
            (OptionDescription.option_id == option_id)
            & (OptionDescription.language_id == language_id)
        )
        out.append((int(option_id), name.name if name else f"option {option_id}"))
    return out


def find(attributes: list[NodeAttribute], name_or_id: str) -> NodeAttribute | None:
    """The attribute named ``name_or_id`` (its description, any case, or its id)."""
    key = name_or_id.strip().lower()
    for attribute in attributes:
        if key in (str(attribute.attribute_id), attribute.name.lower()):
            return attribute
    return None


def check_attributes(attributes: list[NodeAttribute], items: list[dict[str, Any]]) -> list[str]:
    """The chosen attribute values against the node's cached attributes (when cached)."""
    if not attributes:
        return []
    known = {a.attribute_id: a for a in attributes}
    problems: list[str] = []
    for item in items:
        attribute = known.get(item.get("attribute_id"))  # type: ignore[arg-type]
        if attribute is None:
            problems.append(f"attribute {item.get('attribute_id')}: not an attribute of the node")
            continue
        problems += attribute.check(
            str(item.get("attribute_value", "")), str(item.get("attribute_value_unit") or "")
        )
    return problems


def parse_assignment(attributes: list[NodeAttribute], text: str) -> tuple[Any, list[str]]:
    """``NAME=VALUE`` (``VALUE UNIT`` when the attribute has units; empty VALUE clears) →
    (attribute id, item or None); problems name the attribute as given."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        return None, [f"--attribute '{text}': give NAME=VALUE"]
    attribute = find(attributes, name)
    if attribute is None:
        if not attributes:
            return None, ["--attribute: the product's Jet node has no cached attributes"]
        names = ", ".join(a.name for a in attributes)
        return None, [f"--attribute '{name.strip()}': not an attribute of the node ({names})"]
    value = value.strip()
    if not value:
        return (attribute.attribute_id, None), []
    item: dict[str, Any] = {"attribute_id": attribute.attribute_id, "attribute_value": value}
    head, _, last = value.rpartition(" ")
    if attribute.units and head and last in attribute.units:
        item["attribute_value"], item["attribute_value_unit"] = head.strip(), last
    return (attribute.attribute_id, item), []


def merge(current: list[dict[str, Any]], changes: dict[int, dict[str, Any] | None]) -> list:
    """``current`` items with ``changes`` applied (None removes), in attribute id order."""
    by_id = {int(i["attribute_id"]): dict(i) for i in current if "attribute_id" in i}
    for attribute_id, item in changes.items():
        if item is None:
            by_id.pop(attribute_id, None)
        else:
            by_id[attribute_id] = item
    return [by_id[k] for k in sorted(by_id)]


def check_option_map(
    options: list[tuple[int, str]], attributes: list[NodeAttribute], mapping: dict[str, Any]
) -> list[str]:
    """Option id → variant attribute id: each option of the product, each attribute a variant
    attribute of the node (when cached), no attribute used twice."""
    known = {oid for oid, _ in options}
    variants = {a.attribute_id for a in attributes if a.variant}
    names = {oid: name for oid, name in options}
    problems = []
    for key, attribute_id in mapping.items():
        if not str(key).isdigit() or int(key) not in known:
            problems.append(f"option {key}: not a select/radio option of the product")
        elif not isinstance(attribute_id, int) or isinstance(attribute_id, bool):
            problems.append(f"option {names[int(key)]}: the Jet attribute must be an id")
        elif attributes and attribute_id not in variants:
            problems.append(
                f"option {names[int(key)]}: attribute {attribute_id} is not a variant "
                "attribute of the node"
            )
    used = [v for v in mapping.values()]
    twice = sorted({v for v in used if used.count(v) > 1}, key=str)
    if twice:
        problems.append(f"Jet attribute {twice[0]} is mapped to two options")
    return problems


def parse_option_map(
    options: list[tuple[int, str]], attributes: list[NodeAttribute], text: str
) -> tuple[tuple[str, int | None] | None, list[str]]:
    """``OPTION=ATTRIBUTE`` (names or ids; ATTRIBUTE ``auto`` clears) → (option key, id)."""
    name, sep, value = text.partition("=")
    if not sep:
        return None, [f"--option-attribute '{text}': give OPTION=ATTRIBUTE"]
    key = name.strip().lower()
    option = next((o for o in options if key in (str(o[0]), o[1].lower())), None)
    if option is None:
        names = ", ".join(n for _, n in options) or "none"
        return None, [
            f"--option-attribute '{name.strip()}': not an option of the product ({names})"
        ]
    value = value.strip()
    if value.lower() in (AUTO, ""):
        return (str(option[0]), None), []
    attribute = find(attributes, value)
    if attribute is not None:
        return (str(option[0]), attribute.attribute_id), []
    if value.isdigit():
        return (str(option[0]), int(value)), []
    return None, [f"--option-attribute: '{value}' is not an attribute of the node"]


# --- variant attributes chosen by name --------------------------------------------------------

_SPELLINGS = {"colour": "color", "grey": "gray"}


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 1:
        return word[:-1]
    return word


def name_key(name: str) -> str:
    """A name as the matching compares it: any case, British spellings and plurals folded
    (``Colours`` → ``color``, ``Sizes`` → ``size``)."""
    words = [_singular(w) for w in name.lower().replace("_", " ").split()]
    return " ".join(_SPELLINGS.get(w, w) for w in words)


def matching_variant(option_name: str, attributes: list[NodeAttribute]) -> NodeAttribute | None:
    """The node's variant attribute named like the option (case and plural insensitive: Size ↔
    Size/Sizes, Color ↔ Color/Colour), else None: never a guess (``Size`` is not ``Shoe Size``)."""
    key = name_key(option_name)
    return next((a for a in attributes if a.variant and name_key(a.name) == key), None)


def refinement_item(attribute: NodeAttribute, text: str) -> tuple[dict[str, Any], list[str]]:
    """A child's value for a variant attribute (``VALUE`` or ``VALUE UNIT``) → its
    ``attributes_node_specific`` item and the problems of the value for that attribute."""
    value, unit = text.strip(), ""
    head, _, last = value.rpartition(" ")
    if attribute.units and head and last in attribute.units:
        value, unit = head.strip(), last
    item: dict[str, Any] = {"attribute_id": attribute.attribute_id, "attribute_value": value}
    if unit:
        item["attribute_value_unit"] = unit
    return item, attribute.check(value, unit)


def product_option_values(product_id: int, language_id: int) -> list[tuple[int, str]]:
    """(option value id, its name) of the product's select/radio option values."""
    return [(vid, name) for _oid, vid, name in option_value_rows(product_id, language_id)]


def option_value_rows(product_id: int, language_id: int) -> list[tuple[int, int, str]]:
    """(option id, option value id, its name) of the product's select/radio option values."""
    from jettui.store.base import tuple_rows
    from jettui.store.opencart import Option, OptionValueDescription, ProductOptionValue

    rows = (
        ProductOptionValue.select(
            ProductOptionValue.option_id,
            ProductOptionValue.option_value_id,
            OptionValueDescription.name,
        )
        .join(Option, on=Option.option_id == ProductOptionValue.option_id)
        .join(
            OptionValueDescription,
            on=(OptionValueDescription.option_value_id == ProductOptionValue.option_value_id)
            & (OptionValueDescription.language_id == language_id),
        )
        .where((ProductOptionValue.product_id == product_id) & Option.type.in_(["select", "radio"]))
        .order_by(ProductOptionValue.product_option_value_id)
    )
    return [(int(o), int(v), str(name or "")) for o, v, name in tuple_rows(rows)]


def parse_option_value(
    values: list[tuple[int, str]], text: str
) -> tuple[tuple[str, str | None] | None, list[str]]:
    """``LABEL=VALUE`` (the option value's name; empty VALUE: its name is sent) → (option
    value id, the refinement value a child with it sends)."""
    label, sep, value = text.partition("=")
    if not sep or not label.strip():
        return None, [f"--option-value '{text}': give OPTION_VALUE=JET_VALUE"]
    key = label.strip().lower()
    found = sorted({vid for vid, name in values if name.strip().lower() == key})
    if not found:
        names = ", ".join(dict.fromkeys(n for _, n in values)) or "none"
        return None, [
            f"--option-value '{label.strip()}': not an option value of the product ({names})"
        ]
    return (str(found[0]), value.strip() or None), []
