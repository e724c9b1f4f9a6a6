"""Product image URLs for Jet: ``main_image_url`` from ``product.image`` and
``alternate_images`` from ``product_image`` (sort order, at most 8).

A stock OpenCart keeps its own URL in ``config.php``, not in the database (``config_url`` is
set for extra stores only), so the base comes from ``store.url``; an extra store's
``config_url`` wins. Paths are percent-encoded (spaces, non-ASCII names) so Jet can fetch them.
Synchronous store reads: run on the store thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jettui.config import Settings

ALTERNATE_MAX = 8  # Jet's image_slot_id runs 1-8
NO_BASE = (
    "no image URL can be formed: set store.url to the shop's public URL "
    "(OpenCart keeps it in config.php, not in the database)"
)


def image_base(settings: Settings) -> str:
    """``<base>/image/`` for the configured store, or "" when no URL is known."""
    from jettui.store.opencart import get_setting

    base = ""
    if settings.store.store_id:
        base = str(get_setting("config_url", settings.store.store_id, "") or "")
    base = base or settings.store.url or str(get_setting("config_url", 0, "") or "")
    return (base.rstrip("/") + "/image/") if base else ""


def image_url(base: str, path: str) -> str:
    """``base`` + ``path`` with each path segment percent-encoded (UTF-8)."""
    return base + quote(path.strip().lstrip("/"), safe="/")


@dataclass
class ProductImages:
    main: str = ""
    alternates: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def apply(self, body: dict[str, Any]) -> None:
        if self.main:
            body["main_image_url"] = self.main
        if self.alternates:
            body["alternate_images"] = [dict(a) for a in self.alternates]


class ImageFinder:
    """The images of one run's products, against one base URL (and image folder)."""

    def __init__(self, settings: Settings) -> None:
        self.base = image_base(settings)
        self.image_dir = Path(settings.store.image_dir) if settings.store.image_dir else None

    def for_product(
        self, product_id: int, main_path: str | None, rows: list[str] | None = None
    ) -> ProductImages:
        """``rows``: the product's ``product_image`` paths in sort order, when already read."""
        from jettui.store.opencart import ProductImage

        found = ProductImages()
        if not self.base:
            found.warnings.append(
                "no image: Jet keeps it in Missing Listing Data (" + NO_BASE + ")"
            )
            return found
        paths = [p for p in [main_path or ""] if p.strip()]
        if rows is None:
            query = (
                ProductImage.select(ProductImage.image)
                .where(ProductImage.product_id == product_id)
                .order_by(ProductImage.sort_order, ProductImage.product_image_id)
            )
            rows = [r.image or "" for r in query]
        extra = [path for path in rows if path.strip() and path != main_path]
        if not paths and extra:  # no main image: the first alternate takes its place
            paths, extra = extra[:1], extra[1:]
        if not paths:
            found.warnings.append("no image: Jet keeps it in Missing Listing Data")
            return found
        found.main = image_url(self.base, paths[0])
        found.alternates = [
            {"image_slot_id": slot, "image_url": image_url(self.base, path)}
            for slot, path in enumerate(extra[:ALTERNATE_MAX], start=1)
        ]
        if len(extra) > ALTERNATE_MAX:
            found.warnings.append(
                f"{len(extra)} additional images: only the first {ALTERNATE_MAX} are sent"
            )
        for path in paths[:1] + extra[:ALTERNATE_MAX]:
            if self.image_dir is not None and not (self.image_dir / path.lstrip("/")).is_file():
                found.warnings.append(f"image '{path}' is not in {self.image_dir} (sent anyway)")
        return found
