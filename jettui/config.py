"""settings.yaml + environment → typed, validated settings.

Every problem becomes one clear line (``SettingsError.problems``); the CLI prints them and
exits 2. Secrets are wrapped in :class:`Secret`, whose repr and str never show the value.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from jettui.errors import UsageError

CONFIG_ENV = "JETTUI_CONFIG"
SECRET_ENV = "JETTUI_JET_API_SECRET"
DEFAULT_CONFIG_NAME = "settings.yaml"

# US states, DC, territories and military "states" (ISO 3166-2:US subdivision codes + USPS).
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR UM VI AA AE AP".split()
)


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
    "orders": OrderSettings,
    "returns": ReturnSettings,
    "cron": CronSettings,
    "log": LogSettings,
    "tui": TuiSettings,
}


def redact_url(url: str) -> str:
    """Replace the password of ``scheme://user:pass@host/...`` with ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


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
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(
            [f"{config_path}: no such settings file (pass --config PATH or set {CONFIG_ENV})"],
            config_path,
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError([f"{config_path}: cannot read: {_reason(exc)}"], config_path) from None
    return parse_settings(text, config_path)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def parse_settings(text: str, config_path: Path) -> Settings:
    name = config_path.name
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SettingsError([f"{name}: not valid YAML{where}: {problem}"], config_path) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise SettingsError(
            [f"{name}: must be a mapping of sections (jet:, store:, ...), not {_type_name(raw)}"],
            config_path,
        )
    problems: list[str] = []
    sections: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in SECTIONS:
            problems.append(f"{name}: unknown section '{key}'{_did_you_mean(key, SECTIONS)}")
            continue
        if value is None:
            value = {}
        if not isinstance(value, dict):
            problems.append(
                f"{name}: {key}: must be a mapping of settings, not {_type_name(value)}"
            )
            continue
        sections[key] = _build_section(key, SECTIONS[key], value, name, problems)
    if problems:
        raise SettingsError(problems, config_path)
    settings = Settings(**sections, path=config_path)
    settings = _resolve(settings, raw, config_path, problems)
    _validate(settings, name, problems)
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
    match = difflib.get_close_matches(str(key), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _build_section(
    section: str, cls: type, values: dict[str, Any], name: str, problems: list[str]
) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        where = f"{name}: {section}.{key}"
        if key not in known:
            problems.append(f"{name}: unknown setting '{section}.{key}'{_did_you_mean(key, known)}")
            continue
        default = getattr(cls(), key)
        converted = _convert(value, default, where, problems)
        if converted is not _INVALID:
            kwargs[key] = converted
    return cls(**kwargs)


_INVALID = object()


def _convert(value: Any, default: Any, where: str, problems: list[str]) -> Any:
    if isinstance(default, Secret):
        if isinstance(value, str | int) and not isinstance(value, bool):
            return Secret(str(value))
        problems.append(f"{where}: must be text, not {_type_name(value)}")
        return _INVALID
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        problems.append(f"{where}: must be true or false, not {_type_name(value)} ({value!r})")
        return _INVALID
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        problems.append(f"{where}: must be a whole number, not {_type_name(value)} ({value!r})")
        return _INVALID
    if isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        problems.append(f"{where}: must be a number, not {_type_name(value)} ({value!r})")
        return _INVALID
    if isinstance(default, tuple):  # a mapping of text to text (tui.keymap)
        if isinstance(value, dict) and all(
            isinstance(k, str) and k and isinstance(v, str) and v.strip() for k, v in value.items()
        ):
            return tuple(sorted((k, v.strip()) for k, v in value.items()))
        problems.append(f"{where}: must be a mapping of binding id to keys, e.g. help: f1")
        return _INVALID
    if isinstance(default, str):
        if isinstance(value, str):
            return value.strip()
        hint = ' (put it in quotes, e.g. "84047")' if isinstance(value, int) else ""
        problems.append(f"{where}: must be text, not {_type_name(value)} ({value!r}){hint}")
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
            jet = _replace(jet, api_secret=Secret(secret_path.read_text(encoding="utf-8").strip()))
        except OSError as exc:
            problems.append(
                f"{path.name}: jet.api_secret_file: cannot read {secret_path}: {_reason(exc)}"
            )
        else:
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
    elif "@" in store.database and ":" in urlsplit(store.database).netloc.split("@")[0]:
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
        warnings=tuple(dict.fromkeys(warnings))
    )


def _resolve_sqlite_url(url: str, base: Path) -> str:
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


_URL_HOST = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:]+\]$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PREFIX = re.compile(r"^[A-Za-z0-9_]*$")


def _validate(s: Settings, name: str, problems: list[str]) -> None:
    def bad(key: str, message: str) -> None:
        problems.append(f"{name}: {key}: {message}")

    if not s.jet.is_sandbox:
        url_problem = check_http_url(s.jet.api_url)
        if url_problem:
            bad(
                "jet.api_url",
                f'{url_problem} (use "sandbox" or e.g. https://merchant-api.jet.com/api)',
            )
    for key in ("api_user", "fulfillment_node_id"):
        if not getattr(s.jet, key):
            bad(f"jet.{key}", "must not be empty")
    if not s.jet.api_secret:
        bad("jet.api_secret", f"must not be empty (or set api_secret_file or {SECRET_ENV})")
    if s.jet.email and not _EMAIL.match(s.jet.email):
        bad("jet.email", f"'{s.jet.email}' is not an email address")
    if s.jet.timeout_seconds <= 0:
        bad("jet.timeout_seconds", "must be greater than 0")
    for key in ("max_retries",):
        if getattr(s.jet, key) < 0:
            bad(f"jet.{key}", "must not be negative")
    for key in ("concurrency", "bulk_max_skus", "bulk_max_bytes"):
        if getattr(s.jet, key) < 1:
            bad(f"jet.{key}", "must be at least 1")

    db = s.store.database
    if not re.match(r"^(sqlite|mysql|mysql\+pool|sqliteext|sqlite\+pool)://", db):
        bad("store.database", f"'{redact_url(db)}' must start with sqlite:/// or mysql://")
    elif db.startswith("mysql") and not urlsplit(db).hostname:
        bad(
            "store.database",
            "a mysql:// URL needs a host, e.g. mysql://user:pass@127.0.0.1:3306/opencart",
        )
    elif db.startswith("mysql") and not urlsplit(db).path.strip("/"):
        bad("store.database", "a mysql:// URL needs a database name after the host")
    if not _PREFIX.match(s.store.table_prefix):
        bad("store.table_prefix", "only letters, digits and _ are allowed")
    if s.store.store_id < 0:
        bad("store.store_id", "must not be negative")
    if s.store.language_id < 1:
        bad("store.language_id", "must be at least 1")

    if s.pricing.increment_type not in ("fixed", "percent"):
        bad("pricing.increment_type", f"'{s.pricing.increment_type}' must be fixed or percent")
    elif s.pricing.increment_type == "percent" and s.pricing.increment_amount <= -100:
        bad("pricing.increment_amount", "a percent increment must be above -100")

    if s.orders.customer_email and not _EMAIL.match(s.orders.customer_email):
        bad("orders.customer_email", f"'{s.orders.customer_email}' is not an email address")
    if s.orders.acknowledge_within_minutes < 0:
        bad("orders.acknowledge_within_minutes", "must not be negative")
    for key in OrderSettings.STATUS_KEYS:
        if getattr(s.orders, key) < 1:
            bad(f"orders.{key}", "must be an order_status_id (1 or more)")
    if s.returns.return_action_id < 1:
        bad("returns.return_action_id", "must be a return_action_id (1 or more)")

    if not s.returns.address1:
        bad("returns.address1", "must not be empty")
    if not s.returns.city:
        bad("returns.city", "must not be empty")
    if s.returns.state.upper() not in US_STATES or s.returns.state != s.returns.state.upper():
        bad("returns.state", f"'{s.returns.state}' is not a US state ISO code (e.g. UT, NY, CA)")
    if not re.fullmatch(r"\d{5}", s.returns.postcode):
        bad("returns.postcode", f"'{s.returns.postcode}' must be exactly 5 digits, e.g. \"84047\"")

    for f in fields(CronSettings):
        if getattr(s.cron, f.name) < 0:
            bad(f"cron.{f.name}", "must not be negative (0 switches the job off)")

    for key in ("max_bytes", "keep_days", "unreachable_alert_minutes"):
        if getattr(s.log, key) < 1:
            bad(f"log.{key}", "must be at least 1")
    for key in ("backup_count", "body_bytes"):
        if getattr(s.log, key) < 0:
            bad(f"log.{key}", "must not be negative")

    sb = s.sandbox
    if not 0 <= sb.error_rate <= 1:
        bad("sandbox.error_rate", "must be between 0 and 1")
    if not 0 <= sb.lost_answer_rate <= 1:
        bad("sandbox.lost_answer_rate", "must be between 0 and 1")
    for key in ("review_delay_seconds", "order_every_seconds", "rate_limit_every", "latency_ms"):
        if getattr(sb, key) < 0:
            bad(f"sandbox.{key}", "must not be negative")
    if sb.token_lifetime_seconds < 1:
        bad("sandbox.token_lifetime_seconds", "must be at least 1")


def check_http_url(url: str) -> str | None:
    """None when ``url`` is a usable http(s) URL, else what is wrong with it."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"'{url}' is not a valid URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return f"'{url}' must start with http:// or https://"
    if not parts.hostname or not _URL_HOST.match(parts.netloc.rsplit("@", 1)[-1].rsplit(":", 1)[0]):
        return f"'{url}' has no valid host"
    return None


def settings_to_dict(settings: Settings, reveal: bool = False) -> dict[str, dict[str, Any]]:
    """Plain data for --json and the configuration screen; secrets masked unless ``reveal``."""
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
            elif section == "store" and f.name == "database" and not reveal:
                value = redact_url(value)
            values[f.name] = value
        out[section] = values
    return out


def update_settings_file(path: str | os.PathLike[str], changes: dict[str, Any]) -> Settings:
    """Change ``section.key`` values in a settings file, keeping its comments and layout.

    The new text is validated with the same rules as :func:`load_settings` before anything is
    written; on a problem :class:`SettingsError` is raised and the file is left untouched. The
    write is atomic (temporary file + rename) and keeps the file's permission bits.
    """
    config_path = Path(path)
    text = config_path.read_text(encoding="utf-8")
    problems: list[str] = []
    for dotted, value in changes.items():
        section, _, key = dotted.partition(".")
        cls = SECTIONS.get(section)
        if cls is None or key not in {f.name for f in fields(cls)}:
            problems.append(f"{config_path.name}: unknown setting '{dotted}'")
            continue
        text = _set_yaml_value(text, section, key, value)
    if problems:
        raise SettingsError(problems, config_path)
    settings = parse_settings(text, config_path)
    tmp = config_path.with_name(f".{config_path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    try:
        os.chmod(tmp, stat.S_IMODE(config_path.stat().st_mode))
    except OSError:
        pass
    os.replace(tmp, config_path)
    return settings


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, Secret):
        value = value.reveal()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    dumped = yaml.safe_dump(str(value), default_style=None, width=10_000).strip()
    if dumped.endswith("\n..."):
        dumped = dumped[: -len("\n...")]
    # Quote anything YAML would read back as another type (e.g. "84047" → int).
    if yaml.safe_load(dumped) != str(value) or not isinstance(yaml.safe_load(dumped), str):
        dumped = '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
    return dumped.splitlines()[0] if "\n" not in str(value) else dumped


_SECTION_LINE = re.compile(r"^(?P<name>[A-Za-z_][\w-]*)\s*:\s*(#.*)?$")
_KEY_LINE = re.compile(
    r"^(?P<indent>[ \t]+)(?P<key>[A-Za-z_][\w-]*)\s*:(?P<gap>\s*)(?P<value>(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^#\n]*?))(?P<tail>\s+#.*)?$"
)


def _set_yaml_value(text: str, section: str, key: str, value: Any) -> str:
    """Replace (or add) ``key`` under ``section`` in a two-level YAML text, keeping comments."""
    lines = text.splitlines(keepends=True)
    scalar = _yaml_scalar(value)
    section_start = None
    for index, line in enumerate(lines):
        match = _SECTION_LINE.match(line.rstrip("\r\n"))
        if section_start is None:
            if match and match.group("name") == section:
                section_start = index
            continue
        if match or (line.strip() and not line[0].isspace() and not line.lstrip().startswith("#")):
            break  # next section: key not present, insert before it
        key_match = _KEY_LINE.match(line.rstrip("\r\n"))
        if key_match and key_match.group("key") == key:
            tail = key_match.group("tail") or ""
            newline = line[len(line.rstrip("\r\n")) :]
            lines[index] = f"{key_match.group('indent')}{key}: {scalar}{tail}{newline}"
            return "".join(lines)
    if section_start is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(f"{section}:\n  {key}: {scalar}\n")
        return "".join(lines)
    # Insert after the last non-blank line of the section.
    insert_at = section_start + 1
    for index in range(section_start + 1, len(lines)):
        line = lines[index]
        if line.strip() and not line[0].isspace() and not line.lstrip().startswith("#"):
            break
        if line.strip():
            insert_at = index + 1
    lines.insert(insert_at, f"  {key}: {scalar}\n")
    return "".join(lines)


def secret_values(settings: Settings) -> list[str]:
    """The configured values that must never reach a log, screen or traceback."""
    values = [settings.jet.api_secret.reveal()]
    try:
        password = urlsplit(settings.store.database).password
    except ValueError:
        password = None
    if password:
        values.append(password)
    return [value for value in values if len(value) >= 3]


def scrub_secrets(text: str, settings: Settings) -> str:
    """``text`` with every configured secret replaced by ``***``."""
    for value in secret_values(settings):
        text = text.replace(value, "***")
    return text
