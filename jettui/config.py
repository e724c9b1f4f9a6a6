"""settings.yaml + environment → typed, validated settings.

Every problem becomes one clear line (``SettingsError.problems``), all of them reported
together; the CLI prints them and exits 2. Secrets are wrapped in :class:`Secret`, whose repr
and str never show the value.

Helpers: :mod:`jettui.settings_yaml` reads (bounded, regular files only) and edits (round-trip,
comments kept) the YAML; :mod:`jettui.setting_rules` holds each setting's rules, shared with
the configuration screen; :mod:`jettui.urls` finds and hides the credentials URLs carry.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from jettui.errors import UsageError
from jettui.setting_rules import US_STATES, check_http_url, problems_for, shown
from jettui.settings_yaml import (
    MAX_SECRET_BYTES,
    MAX_SETTINGS_BYTES,
    YamlProblem,
    load_yaml,
    read_small_text,
    set_values,
)
from jettui.urls import has_password, mask_secrets, redact_url, url_secrets

__all__ = [
    "US_STATES",
    "Secret",
    "Settings",
    "SettingsError",
    "check_http_url",
    "load_settings",
    "parse_settings",
    "redact_url",
    "scrub_secrets",
    "secret_values",
    "settings_to_dict",
    "update_settings_file",
]

CONFIG_ENV = "JETTUI_CONFIG"
SECRET_ENV = "JETTUI_JET_API_SECRET"
DEFAULT_CONFIG_NAME = "settings.yaml"


class SettingsError(UsageError):
    """Settings that cannot be used. ``problems`` holds one human line each."""

    def __init__(self, problems: list[str], path: Path | None = None) -> None:
        self.problems = problems
        self.path = path
        super().__init__("; ".join(problems))


class Secret:
    """A value that must never be printed, logged or shown."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__


@dataclass(frozen=True)
class JetSettings:
    api_url: str = "sandbox"  # "sandbox" = the embedded sandbox; else a base URL ending in /api
    email: str = "merchant@example.com"
    api_user: str = "jetuser"
    api_secret: Secret = field(default_factory=lambda: Secret("jetsecret"))
    api_secret_file: str = ""  # resolved path when given
    fulfillment_node_id: str = "node-1"
    timeout_seconds: float = 30.0
    max_retries: int = 4
    concurrency: int = 4
    bulk_max_skus: int = 10_000  # split bulk files above this many SKUs
    bulk_max_bytes: int = 50_000_000  # ... or above this many uncompressed bytes

    @property
    def is_sandbox(self) -> bool:
        return self.api_url == "sandbox"


@dataclass(frozen=True)
class SandboxSettings:
    state_file: str = "sandbox-state.db"  # resolved against the settings file's folder
    review_delay_seconds: float = 0.0  # Under Jet Review → Available for Purchase
    order_every_seconds: float = 0.0  # demo: generate a random order this often (0 = off)
    error_rate: float = 0.0  # fault injection: share of calls answered with a 500
    # fault injection: share of writes (POST/PUT/PATCH) applied, then their answer lost
    lost_answer_rate: float = 0.0
    rate_limit_every: int = 0  # fault injection: every Nth call answered with a 429
    latency_ms: int = 0  # fault injection: added to each call
    token_lifetime_seconds: int = 36_000


@dataclass(frozen=True)
class StoreSettings:
    # Resolved: sqlite paths are absolute. Not in repr: a mysql URL may carry the password.
    database: str = field(default="sqlite:///demo-store.db", repr=False)
    table_prefix: str = "oc_"
    store_id: int = 0
    language_id: int = 1
    # The shop's public base URL (OpenCart keeps it in config.php, not in the database):
    # product images are sent as <url>/image/<path>. An extra store's config_url wins.
    url: str = ""
    # The shop's image/ folder on this machine (resolved path): when set, an image file that
    # is absent is listed with a warning (it is still sent: Jet fetches it).
    image_dir: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.database.startswith("sqlite")

    @property
    def database_display(self) -> str:
        """The database URL with any password replaced, for screens and logs."""
        return redact_url(self.database)


@dataclass(frozen=True)
class PricingSettings:
    increment_type: str = "percent"  # fixed | percent
    increment_amount: float = 0.0  # may be negative


@dataclass(frozen=True)
class CatalogSettings:
    # A SKU (or option value) renamed in OpenCart after upload: "archive" uploads the new SKU
    # and archives the old one on Jet; "move" moves jettui's link to the new SKU and leaves
    # the old one on Jet untouched (for the merchant to handle).
    renamed_sku: str = "archive"
    # Which OpenCart field feeds which Jet field, as (Jet field, source) pairs from a YAML
    # mapping such as {upc: jan, brand: "attribute:Brand"}; fields left out keep their
    # default (services/catalog/field_map.py DEFAULTS).
    field_map: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class OrderSettings:
    customer_email: str = "jet-orders@example.com"
    auto_acknowledge: bool = False
    acknowledge_within_minutes: int = 15
    # An order that cannot be created (unknown SKU, no stock...): false = reject it on Jet,
    # true = keep it on the Rejected orders panel for the merchant to fix and retry.
    hold_problem_orders: bool = False
    # OpenCart order status ids (oc_order_status) for each stage; defaults = the demo's ids.
    status_imported: int = 2  # Processing
    status_partially_shipped: int = 3  # Shipped
    status_shipped: int = 5  # Complete
    status_cancelled: int = 7  # Canceled
    status_refunded: int = 11  # Refunded

    STATUS_KEYS = (
        "status_imported",
        "status_partially_shipped",
        "status_shipped",
        "status_cancelled",
        "status_refunded",
    )


@dataclass(frozen=True)
class ReturnSettings:
    address1: str = "6909 South State Street"
    address2: str = "Suite C"
    city: str = "Midvale"
    state: str = "UT"
    postcode: str = "84047"
    restock: bool = False  # put returned units back in stock when a return is completed
    return_action_id: int = 1  # oc_return_action set on completion (demo: 1 Refunded)


@dataclass(frozen=True)
class CronSettings:
    """Minutes between runs of each job; 0 switches the job off."""

    fetch_orders: int = 10
    fetch_errors: int = 10
    fetch_returns: int = 30
    acknowledge: int = 30
    product_status: int = 20
    sync: int = 60  # price and inventory of uploaded products


@dataclass(frozen=True)
class LogSettings:
    enabled: bool = True
    file: str = ""  # headless runs also log here (rotating); "" = no file
    max_bytes: int = 5_000_000  # the file is rotated at this size...
    backup_count: int = 5  # ...keeping this many old files
    keep_days: int = 30  # event log, job runs and bulk-file contents pruned after this
    body_bytes: int = 4000  # request/response bodies kept per Jet call (larger: truncated)
    unreachable_alert_minutes: int = 60  # `jettui status`: Jet/store down this long needs a person


@dataclass(frozen=True)
class TuiSettings:
    theme: str = "jettui"  # jettui | jettui-16 | any Textual theme name
    # Key remapping: (binding id, keys) pairs, from a YAML mapping such as {help: f1}.
    keymap: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Settings:
    jet: JetSettings = field(default_factory=JetSettings)
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    pricing: PricingSettings = field(default_factory=PricingSettings)
    catalog: CatalogSettings = field(default_factory=CatalogSettings)
    orders: OrderSettings = field(default_factory=OrderSettings)
    returns: ReturnSettings = field(default_factory=ReturnSettings)
    cron: CronSettings = field(default_factory=CronSettings)
    log: LogSettings = field(default_factory=LogSettings)
    tui: TuiSettings = field(default_factory=TuiSettings)
    path: Path | None = None  # the file these came from
    warnings: tuple[str, ...] = ()  # non-fatal: e.g. a secret file readable by others


SECTIONS: dict[str, type] = {
    "jet": JetSettings,
    "sandbox": SandboxSettings,
    "store": StoreSettings,
    "pricing": PricingSettings,
    "catalog": CatalogSettings,
    "orders": OrderSettings,
    "returns": ReturnSettings,
    "cron": CronSettings,
    "log": LogSettings,
    "tui": TuiSettings,
}


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--config, then $JETTUI_CONFIG, then ./settings.yaml."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return Path.cwd() / DEFAULT_CONFIG_NAME


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read, validate and resolve a settings file. Raises :class:`SettingsError`."""
    config_path = find_config(path)
    try:
        text = read_small_text(config_path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        raise SettingsError(
            [f"{config_path}: no such settings file (pass --config PATH or set {CONFIG_ENV})"],
            config_path,
        ) from None
    except OSError as exc:
        raise SettingsError([f"{config_path}: cannot read: {_reason(exc)}"], config_path) from None
    except YamlProblem as exc:
        raise SettingsError([f"{config_path}: not a settings file: {exc}"], config_path) from None
    return parse_settings(text, config_path)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def parse_settings(text: str, config_path: Path) -> Settings:
    """Settings from a file's text. Every problem is collected and reported together in one
    :class:`SettingsError` (a merchant fixes them in one pass, not one per run)."""
    name = config_path.name
    try:
        raw = load_yaml(text)
    except YamlProblem as exc:
        raise SettingsError([f"{name}: {exc}"], config_path) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise SettingsError(
            [f"{name}: must be a mapping of sections (jet:, store:, ...), not {_type_name(raw)}"],
            config_path,
        )
    problems: list[str] = []
    sections: dict[str, Any] = {}
    refused: set[str] = set()  # "section.key" whose value had the wrong type: default kept
    for key, value in raw.items():
        if key not in SECTIONS:
            problems.append(f"{name}: unknown section '{shown(key)}'{_did_you_mean(key, SECTIONS)}")
            continue
        if value is None:
            value = {}
        if not isinstance(value, dict):
            problems.append(
                f"{name}: {key}: must be a mapping of settings, not {_type_name(value)}"
            )
            refused.update(f"{key}.{f.name}" for f in fields(SECTIONS[key]))
            continue
        sections[key] = _build_section(key, SECTIONS[key], value, name, problems, refused)
    settings = Settings(**sections, path=config_path)
    settings = _resolve(settings, raw, config_path, problems)
    _validate(settings, name, problems, refused)
    if problems:
        raise SettingsError(problems, config_path)
    return settings


def _type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


def _did_you_mean(key: Any, choices: Any) -> str:
    match = difflib.get_close_matches(str(key)[:100], [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _build_section(
    section: str,
    cls: type,
    values: dict[str, Any],
    name: str,
    problems: list[str],
    refused: set[str],
) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        where = f"{name}: {section}.{key}"
        if key not in known:
            problems.append(
                f"{name}: unknown setting '{section}.{shown(key)}'{_did_you_mean(key, known)}"
            )
            continue
        default = getattr(cls(), key)
        converted = _convert(value, default, where, problems)
        if converted is _INVALID:
            refused.add(f"{section}.{key}")
        else:
            kwargs[key] = converted
    return cls(**kwargs)


_INVALID = object()
_MAPPING_EXAMPLES = {
    "tui.keymap": "binding id to keys, e.g. help: f1",
    "catalog.field_map": 'Jet field to OpenCart source, e.g. upc: jan (use "none" for nothing)',
}


def _convert(value: Any, default: Any, where: str, problems: list[str]) -> Any:
    """``value`` as the type of ``default``, or :data:`_INVALID` with a problem added."""
    got = (
        _type_name(value)
        if isinstance(value, list | dict)
        else (f"{_type_name(value)} ({shown(value)})")
    )
    if isinstance(default, Secret):
        if isinstance(value, str | int) and not isinstance(value, bool):
            return Secret(str(value))
        problems.append(f"{where}: must be text, not {_type_name(value)}")
        return _INVALID
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        problems.append(f"{where}: must be true or false, not {got}")
        return _INVALID
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        problems.append(f"{where}: must be a whole number, not {got}")
        return _INVALID
    if isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                return float(value)
            except OverflowError:  # an int beyond float's range
                problems.append(f"{where}: must be a number of sensible size, not {got}")
                return _INVALID
        problems.append(f"{where}: must be a number, not {got}")
        return _INVALID
    if isinstance(default, tuple):  # a mapping of text to text (tui.keymap, catalog.field_map)
        if value is None:  # "field_map:" with every entry below it commented out
            return ()
        if isinstance(value, dict) and all(
            isinstance(k, str) and k and isinstance(v, str) and v.strip() for k, v in value.items()
        ):
            return tuple(sorted((k, v.strip()) for k, v in value.items()))
        example = next((e for k, e in _MAPPING_EXAMPLES.items() if where.endswith(k)), "")
        problems.append(f"{where}: must be a mapping of {example}")
        return _INVALID
    if isinstance(default, str):
        if isinstance(value, str):
            return value.strip()
        hint = ' (put it in quotes, e.g. "84047")' if isinstance(value, int) else ""
        problems.append(f"{where}: must be text, not {got}{hint}")
        return _INVALID
    return value


def _resolve(settings: Settings, raw: dict[str, Any], path: Path, problems: list[str]) -> Settings:
    """Apply environment overrides and make relative paths absolute against the file's folder."""
    base = path.resolve().parent
    jet = settings.jet
    warnings: list[str] = []
    raw_jet = raw.get("jet") or {}
    env_secret = os.environ.get(SECRET_ENV)
    if isinstance(raw_jet, dict) and "api_secret" in raw_jet and raw_jet.get("api_secret_file"):
        problems.append(f"{path.name}: jet: give api_secret or api_secret_file, not both")
    elif env_secret:
        jet = _replace(jet, api_secret=Secret(env_secret.strip()))
    elif jet.api_secret_file:
        secret_path = (base / Path(jet.api_secret_file).expanduser()).resolve()
        jet = _replace(jet, api_secret_file=str(secret_path))
        try:
            secret = read_small_text(secret_path, MAX_SECRET_BYTES).strip()
        except OSError as exc:
            problems.append(
                f"{path.name}: jet.api_secret_file: cannot read {secret_path}: {_reason(exc)}"
            )
        except YamlProblem as exc:
            problems.append(f"{path.name}: jet.api_secret_file: {secret_path} is {exc}")
        else:
            jet = _replace(jet, api_secret=Secret(secret))
            warnings.extend(_permission_warning(secret_path))
    if (
        isinstance(raw_jet, dict)
        and "api_secret" in raw_jet
        and not env_secret
        and not jet.is_sandbox
    ):
        # The sandbox's credentials guard nothing; a real Jet secret in a readable file does.
        warnings.extend(_permission_warning(path))
    store = settings.store
    if store.is_sqlite:
        store = _replace(store, database=_resolve_sqlite_url(store.database, base))
    if store.image_dir:
        store = _replace(
            store, image_dir=str((base / Path(store.image_dir).expanduser()).resolve())
        )
    elif has_password(store.database):  # in the userinfo or as ?password=
        warnings.extend(_permission_warning(path))
    sandbox = settings.sandbox
    if sandbox.state_file and sandbox.state_file != ":memory:":
        state = (base / Path(sandbox.state_file).expanduser()).resolve()
        sandbox = _replace(sandbox, state_file=str(state))
    log_settings = settings.log
    if log_settings.file:
        log_file = str((base / Path(log_settings.file).expanduser()).resolve())
        log_settings = _replace(log_settings, file=log_file)
    return _replace(
        settings,
        jet=jet,
        store=store,
        sandbox=sandbox,
        log=log_settings,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _resolve_sqlite_url(url: str, base: Path) -> str:
    """``sqlite:///relative`` → ``sqlite:////absolute``; the path is taken literally (a ``#``
    or ``?`` is part of the file name, never a fragment or query)."""
    scheme, sep, rest = url.partition(":///")
    if not sep or rest in ("", ":memory:") or rest.startswith("/"):
        return url
    return f"{scheme}:///{(base / rest).resolve()}"


def _permission_warning(path: Path) -> list[str]:
    try:
        mode = path.stat().st_mode
    except OSError:
        return []
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return [
            f"{path} holds a secret and is readable by group/others: chmod 600 {path}",
        ]
    return []


def _replace(obj: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(obj, **changes)


def _validate(s: Settings, name: str, problems: list[str], refused: set[str]) -> None:
    """Each setting against its rules (:mod:`jettui.setting_rules`, shared with the
    configuration screen), then the rules that tie settings together. A setting whose value
    had the wrong type was already reported: its default is not checked again."""
    for section, cls in SECTIONS.items():
        obj = getattr(s, section)
        defaults = cls()
        for f in fields(cls):
            dotted = f"{section}.{f.name}"
            if dotted in refused:
                continue
            value = getattr(obj, f.name)
            for problem in problems_for(dotted, value, getattr(defaults, f.name)):
                problems.append(f"{name}: {dotted}: {problem}")
                refused.add(dotted)  # reported: the rules tying settings together skip it

    if not s.jet.api_secret and "jet.api_secret" not in refused:
        problems.append(
            f"{name}: jet.api_secret: must not be empty (or set api_secret_file or {SECRET_ENV})"
        )
    pricing = s.pricing
    if (
        pricing.increment_type == "percent"
        and pricing.increment_amount <= -100
        and "pricing.increment_amount" not in refused
    ):
        problems.append(f"{name}: pricing.increment_amount: a percent increment must be above -100")


def settings_to_dict(settings: Settings, reveal: bool = False) -> dict[str, dict[str, Any]]:
    """Plain data for --json and the configuration screen; secrets masked unless ``reveal``
    (URLs lose their password, in the userinfo or as a query option)."""
    out: dict[str, dict[str, Any]] = {}
    for section in SECTIONS:
        obj = getattr(settings, section)
        values: dict[str, Any] = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, Secret):
                value = value.reveal() if reveal else ("********" if value else "")
            elif isinstance(value, tuple):
                value = dict(value)
            elif (section, f.name) in _URL_SETTINGS and not reveal:
                value = redact_url(value)
            values[f.name] = value
        out[section] = values
    return out


_URL_SETTINGS = {("store", "database"), ("jet", "api_url")}


def update_settings_file(path: str | os.PathLike[str], changes: dict[str, Any]) -> Settings:
    """Change ``section.key`` values in a settings file, keeping its comments and layout.

    The new text is validated with the same rules as :func:`load_settings` before anything is
    written; on a problem :class:`SettingsError` is raised and the file is left untouched. The
    write is atomic (temporary file + rename) and keeps the file's permission bits.
    """
    config_path = Path(path)
    try:
        text = read_small_text(config_path, MAX_SETTINGS_BYTES)
    except YamlProblem as exc:
        raise SettingsError([f"{config_path}: not a settings file: {exc}"], config_path) from None
    problems: list[str] = []
    edits: dict[tuple[str, str], Any] = {}
    for dotted, value in changes.items():
        section, _, key = dotted.partition(".")
        cls = SECTIONS.get(section)
        if cls is None or key not in {f.name for f in fields(cls)}:
            problems.append(f"{config_path.name}: unknown setting '{dotted}'")
            continue
        edits[(section, key)] = value.reveal() if isinstance(value, Secret) else value
    if problems:
        raise SettingsError(problems, config_path)
    try:
        text = set_values(text, edits)
    except YamlProblem as exc:
        raise SettingsError([f"{config_path.name}: {exc}"], config_path) from None
    settings = parse_settings(text, config_path)
    tmp = config_path.with_name(f".{config_path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        os.chmod(tmp, stat.S_IMODE(config_path.stat().st_mode))
    except OSError:
        pass
    os.replace(tmp, config_path)
    return settings


def secret_values(settings: Settings) -> list[str]:
    """The configured values that must never reach a log, screen or traceback: the Jet
    secret and every credential the database and Jet URLs carry (parsed from the URLs)."""
    values = [settings.jet.api_secret.reveal()]
    values += url_secrets(settings.store.database)
    values += url_secrets(settings.jet.api_url)
    return [value for value in dict.fromkeys(values) if value]


def scrub_secrets(text: str, settings: Settings) -> str:
    """``text`` with every configured secret replaced by ``***`` (a short one only where it
    stands alone: never inside a word)."""
    return mask_secrets(text, secret_values(settings))
