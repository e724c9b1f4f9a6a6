"""``catalog.field_map``: which OpenCart field feeds which Jet field.

A merchant who keeps the JAN where Jet wants the UPC, the brand in an attribute or a shorter
title in ``meta_title`` says so in settings.yaml instead of copying columns around::

    catalog:
      field_map:
        upc: jan
        brand: "attribute:Brand"
        title: meta_title

Keys are the Jet fields of :data:`DEFAULTS`; a key left out keeps its default (today's
behaviour). A source is one of

- a product column: ``model sku upc ean jan isbn mpn location``
- a description column (the store's language): ``name description tag meta_title
  meta_description meta_keyword``
- ``manufacturer`` (the manufacturer's name)
- ``attribute:<name>``: the product's OpenCart attribute of that name
- ``attribute_group:<name>`` (bullets only): one bullet "Name: text" per attribute of the group
- ``text:<words>``: the same fixed text for every product
- ``none``: send nothing

The vocabulary and its parsing live in :mod:`jettui.field_sources` (light: the settings
loader checks the map). The mapping itself is pure (:func:`map_fields` over a plain dict of the product's columns and
its attributes), so it works whatever way the rows were read; :func:`read_attributes` reads
the attributes of many products in one query. Edited Jet data (brand, MPN, code) still wins
over the map: the map only says where the store's value comes from.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from jettui.config import Settings
from jettui.field_sources import (
    CODE_KEYS,
    DEFAULTS,
    NONE,
    Source,
    parse_source,
    problems,
    rule,
    shortened,
)

__all__ = [
    "CODE_KEYS",
    "DEFAULTS",
    "Mapped",
    "Mapper",
    "ProductAttributes",
    "Source",
    "map_fields",
    "parse_source",
    "problems",
    "read_attributes",
    "resolve",
    "row_fields",
    "rule",
    "store_values",
    "unknown_attribute_warnings",
    "used_sources",
]

BULLETS_MAX = 5
BULLET_CHARS = 500
CODE_JUNK = re.compile(r"[\s-]")


class Mapped(NamedTuple):
    """One Jet field's store value (text, or a list for bullets) and where it came from."""

    value: str | list[str]
    source: str
    default: bool  # the source is the field's default (today's behaviour)


@dataclass
class ProductAttributes:
    """A product's OpenCart attributes in the store's language, looked up by name
    (case and surrounding spaces ignored)."""

    values: dict[str, str] = field(default_factory=dict)
    groups: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))


def resolve(settings: Settings) -> dict[str, Source]:
    """Every Jet field's source: the defaults, then the merchant's ``catalog.field_map``."""
    chosen = dict(DEFAULTS)
    chosen.update(dict(settings.catalog.field_map))
    return {key: parse_source(text) for key, text in chosen.items()}


def attribute_names(sources: Mapping[str, Source]) -> list[tuple[str, Source]]:
    """(key, source) of the entries that name an OpenCart attribute or attribute group."""
    return [(k, s) for k, s in sources.items() if s.kind in ("attribute", "attribute_group")]


# --- mapping one product --------------------------------------------------------------------


def row_fields(*rows: Any, manufacturer: str = "") -> dict[str, Any]:
    """The columns of a product's rows (peewee models, ``.dicts()`` or ``.namedtuples()`` rows;
    None skipped) as one plain dict, plus the manufacturer's name: what :func:`map_fields`
    reads."""
    out: dict[str, Any] = {}
    for row in rows:
        if row is None:
            continue
        if isinstance(row, Mapping):
            out.update(row)
        elif hasattr(row, "_asdict"):  # the chunked reads of batch.py
            out.update(row._asdict())
        else:
            out.update(row.__data__)
    out["manufacturer"] = manufacturer
    return out


def map_fields(
    sources: Mapping[str, Source],
    fields: Mapping[str, Any],
    attributes: ProductAttributes | None = None,
) -> dict[str, Mapped]:
    """Jet field → the store's value as it would be sent (cleaned like payload.py always did:
    control characters out, description HTML → text ≤ 2000, codes without spaces/hyphens,
    bullets ≤ 5 × 500). An empty value means the store has nothing for that field."""
    attributes = attributes or ProductAttributes()
    out: dict[str, Mapped] = {}
    for key, source in sources.items():
        shown = str(source)
        if source.kind == NONE:  # nothing to read or clean
            out[key] = Mapped([] if key == "bullets" else "", shown, shown == DEFAULTS[key])
            continue
        raw = _raw(source, fields, attributes)
        out[key] = Mapped(_finish(key, raw), shown, shown == DEFAULTS[key])
    return out


def _raw(
    source: Source, fields: Mapping[str, Any], attributes: ProductAttributes
) -> str | list[str]:
    if source.kind == "column":
        return str(fields.get(source.name) or "")
    if source.kind == "attribute":
        return attributes.values.get(_key(source.name), "")
    if source.kind == "attribute_group":
        return [f"{name}: {text}" for name, text in attributes.groups.get(_key(source.name), [])]
    return source.name  # text:<words>


def _finish(key: str, raw: str | list[str]) -> str | list[str]:
    from jettui.services.catalog.payload import clean_text, plain_description

    if key == "bullets":
        pieces = raw if isinstance(raw, list) else raw.split(",")
        bullets = [clean_text(p)[:BULLET_CHARS].rstrip() for p in pieces]
        return [b for b in bullets if b][:BULLETS_MAX]
    text = " ".join(raw) if isinstance(raw, list) else raw
    if key == "description":
        return plain_description(text)
    if key in CODE_KEYS:
        return CODE_JUNK.sub("", text)
    if key == "mfr_part_number":
        return text.strip()
    return clean_text(text)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


# Jet field → the edited Jet data (payload.py overrides) that wins over the map
OVERRIDDEN_BY = {
    "brand": "brand",
    "mfr_part_number": "mpn",
    **{key: "standard_code" for key in CODE_KEYS},
}


def used_sources(
    mapped: Mapping[str, Mapped], overrides: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Jet field → source of the fields sent with a value from a source other than the
    default (edited Jet data did not win): what the dry run and the product detail show."""
    overrides = overrides or {}
    return {
        key: m.source
        for key, m in mapped.items()
        if m.value and not m.default and not overrides.get(OVERRIDDEN_BY.get(key, ""))
    }


# --- store reads (store thread) -------------------------------------------------------------


def read_attributes(product_ids: Iterable[int], language_id: int) -> dict[int, ProductAttributes]:
    """The attributes of ``product_ids`` in one query (absent = the product has none), in
    OpenCart's order: group sort order, attribute sort order, name."""
    from jettui.store.base import tuple_rows
    from jettui.store.opencart import (
        Attribute,
        AttributeDescription,
        AttributeGroup,
        AttributeGroupDescription,
        ProductAttribute,
    )

    ids = list(product_ids)
    if not ids:
        return {}
    query = (
        ProductAttribute.select(
            ProductAttribute.product_id,
            AttributeDescription.name,
            ProductAttribute.text,
            AttributeGroupDescription.name,
        )
        .join(Attribute, on=Attribute.attribute_id == ProductAttribute.attribute_id)
        .join(
            AttributeDescription,
            on=(AttributeDescription.attribute_id == Attribute.attribute_id)
            & (AttributeDescription.language_id == language_id),
        )
        .switch(Attribute)
        .join(AttributeGroup, on=AttributeGroup.attribute_group_id == Attribute.attribute_group_id)
        .join(
            AttributeGroupDescription,
            on=(AttributeGroupDescription.attribute_group_id == AttributeGroup.attribute_group_id)
            & (AttributeGroupDescription.language_id == language_id),
        )
        .where(ProductAttribute.product_id.in_(ids) & (ProductAttribute.language_id == language_id))
        .order_by(
            ProductAttribute.product_id,
            AttributeGroup.sort_order,
            Attribute.sort_order,
            AttributeDescription.name,
        )
        .tuples()
    )
    out: dict[int, ProductAttributes] = {}
    for product_id, name, text, group in tuple_rows(query):
        attrs = out.setdefault(int(product_id), ProductAttributes())
        label, value = " ".join(str(name or "").split()), str(text or "").strip()
        attrs.values.setdefault(_key(label), value)
        attrs.groups[_key(str(group or ""))].append((label, value))
    return out


class Mapper:
    """The map of one run: sources resolved once, attributes read per chunk of products
    (only when the map names an attribute). Store thread."""

    def __init__(self, settings: Settings) -> None:
        self.sources = resolve(settings)
        self.language_id = settings.store.language_id
        self.needs_attributes = bool(attribute_names(self.sources))
        self._attributes: dict[int, ProductAttributes] = {}
        self._loaded: set[int] = set()

    def load(self, chunk: Iterable[int]) -> None:
        """Read the attributes of a chunk of products up front (nothing when the map names no
        attribute): for a caller that prefetches each chunk's rows."""
        if self.needs_attributes:
            self._loaded = set(chunk)
            self._attributes = read_attributes(sorted(self._loaded), self.language_id)

    def map(
        self, fields: Mapping[str, Any], product_id: int, chunk: Iterable[int] = ()
    ) -> dict[str, Mapped]:
        """The product's mapped fields. ``chunk``: the product ids being checked together,
        whose attributes are read in one query the first time one of them needs them."""
        return map_fields(self.sources, fields, self._attributes_of(product_id, chunk))

    def _attributes_of(self, product_id: int, chunk: Iterable[int]) -> ProductAttributes | None:
        if not self.needs_attributes:
            return None
        if product_id not in self._loaded:
            self.load(set(chunk) | {product_id})
        return self._attributes.get(product_id)


def store_values(settings: Settings, product_id: int) -> dict[str, str]:
    """Jet field → the value the store would send for ``product_id`` through the map, before
    any edited Jet data ("" = nothing; bullets joined with " | "). Store thread: for the edit
    screen's "store value" hints."""
    from jettui.store.opencart import Manufacturer, Product, ProductDescription

    product = Product.get_or_none(Product.product_id == product_id)
    if product is None:
        return {key: "" for key in DEFAULTS}
    description = ProductDescription.get_or_none(
        (ProductDescription.product_id == product_id)
        & (ProductDescription.language_id == settings.store.language_id)
    )
    maker = Manufacturer.get_or_none(Manufacturer.manufacturer_id == product.manufacturer_id)
    fields = row_fields(product, description, manufacturer=maker.name if maker else "")
    mapped = Mapper(settings).map(fields, product_id)
    return {
        key: " | ".join(m.value) if isinstance(m.value, list) else m.value
        for key, m in mapped.items()
    }


def unknown_attribute_warnings(settings: Settings) -> list[str]:
    """``config check``: entries naming an attribute (or group) the store does not have, in
    the store's language. Store thread; the database is connected."""
    from jettui.store.base import tuple_rows
    from jettui.store.opencart import AttributeDescription, AttributeGroupDescription

    wanted = attribute_names(resolve(settings))
    if not wanted:
        return []
    language = settings.store.language_id
    known: dict[str, list[str]] = {}
    for kind, model in (
        ("attribute", AttributeDescription),
        ("attribute_group", AttributeGroupDescription),
    ):
        rows = tuple_rows(model.select(model.name).where(model.language_id == language).tuples())
        known[kind] = [" ".join(str(n or "").split()) for (n,) in rows]
    out = []
    for key, source in wanted:
        names: list[str] = known[source.kind]
        if _key(source.name) in {_key(n) for n in names}:
            continue
        match = difflib.get_close_matches(source.name, names, n=1, cutoff=0.6)
        hint = f" (did you mean '{match[0]}'?)" if match else ""
        what = "attribute" if source.kind == "attribute" else "attribute group"
        out.append(
            f"catalog.field_map: {key}: no {what} named '{shortened(source.name)}' in the store "
            f"(language {language}){hint}: {key} stays empty"
        )
    return out
