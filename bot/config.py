"""Settings: declared once, validated with messages that name the key."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from bot.core.errors import ConfigError
from bot.core.matcher import MatchSettings

BUNDLED_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
TOKEN_ENV = "TDKT_BOT_TOKEN"
SECRET_ENV = "TDKT_USER_KEY_SECRET"
CONFIG_ENV = "TDKT_CONFIG"
_MATCH = MatchSettings()
_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WebhookSettings(_Section):
    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = Field(8443, ge=1, le=65535)
    url_path: str = "tdkt-bot"
    url: str = ""  # public HTTPS URL Telegram calls, e.g. https://bot.example.org/tdkt-bot
    secret_token: str = ""


class TelegramSettings(_Section):
    token: str = ""
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    admins: list[int] = []
    poll_timeout: float = Field(10.0, gt=0, le=60)
    overall_max_rate: float = Field(30.0, gt=0)  # messages per second, Telegram's broadcast limit
    uvloop: bool = True  # run the bot's event loop on uvloop when it is installed (Linux, macOS)
    webhook: WebhookSettings = WebhookSettings()

    def has_token(self) -> bool:
        """Whether the token has the shape @BotFather gives (digits, a colon, 20+ URL-safe characters).

        Only the shape is judged: a real token may well contain "here" or "xxx".
        """
        return bool(_TOKEN_SHAPE.match(self.token))

    def token_problem(self) -> str:
        """Why the bot cannot start with this token, in one line."""
        if not self.token.strip():
            return "no Telegram bot token configured"
        return "the configured Telegram token looks like a placeholder, not a bot token"


class KnowledgeSettings(_Section):
    path: Path = BUNDLED_KNOWLEDGE
    # The calendar file; None: <path>/deadlines.yaml (tests pass a fixture calendar here).
    deadlines: Path | None = None
    # The compiled index cache: a folder, true (the user's cache folder, ~/.cache/tdkt-bot), or false (off).
    cache: bool | Path = True


class StorageSettings(_Section):
    path: Path = Path("var/tdkt-bot.sqlite3")
    retention_days: int = Field(365, ge=1)
    user_key_secret: str = ""  # HMAC secret for pseudonymous user keys; env TDKT_USER_KEY_SECRET overrides
    flush_interval: float = Field(0.5, gt=0, le=60)


class MatchingSettings(_Section):
    answer_threshold: float = Field(_MATCH.answer_threshold, ge=0, le=100)
    suggest_threshold: float = Field(_MATCH.suggest_threshold, ge=0, le=100)
    margin: float = Field(_MATCH.margin, ge=0, le=100)
    lead_threshold: float = Field(_MATCH.lead_threshold, ge=0, le=100)
    lead_margin: float = Field(_MATCH.lead_margin, ge=0, le=100)
    unanchored_threshold: float = Field(_MATCH.unanchored_threshold, ge=0, le=100)
    close_match_floor: float = Field(_MATCH.close_match_floor, ge=0, le=100)
    max_suggestions: int = Field(_MATCH.max_suggestions, ge=1, le=5)
    confirm_with_profiles: bool = _MATCH.confirm_with_profiles
    confirmed_threshold: float = Field(_MATCH.confirmed_threshold, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> MatchingSettings:
        if self.suggest_threshold > self.answer_threshold:
            raise ValueError("suggest_threshold must not exceed answer_threshold")
        return self

    def to_settings(self) -> MatchSettings:
        return MatchSettings(**self.model_dump())


class RemindersSettings(_Section):
    timezone: str = "Asia/Ho_Chi_Minh"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Ho_Chi_Minh)") from exc
        return value

    send_at: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "08:00"
    lead_days: list[Annotated[int, Field(ge=0, le=365)]] = Field(default_factory=lambda: [14, 7, 1], min_length=1)
    grace_days: int = Field(1, ge=0, le=30)
    horizon_days: int = Field(90, ge=1, le=730)


class LimitsSettings(_Section):
    questions_per_minute: int = Field(20, ge=1)
    max_question_length: int = Field(1000, ge=10)
    admin_alerts_per_hour: int = Field(6, ge=0)


class HandoffSettings(_Section):
    """"Hỏi cán bộ thi đua": unanswered questions relayed to the organisers' group (off when chat_id is empty)."""

    chat_id: int | None = None  # the organisers' group (negative id); empty: no button, no /hoicanbo
    max_open_per_user: int = Field(3, ge=1, le=50)
    remind_after_hours: float = Field(48.0, gt=0)

    @field_validator("chat_id", mode="before")
    @classmethod
    def _empty_is_off(cls, value: Any) -> Any:
        return None if value in ("", 0, "0") else value

    @property
    def enabled(self) -> bool:
        return self.chat_id is not None


# The contact named when `contact` is left as shipped; its English wording says they answer in Vietnamese, so an
# English reply never sends someone to a desk they cannot talk to without warning.
DEFAULT_CONTACT = "cán bộ làm công tác thi đua, khen thưởng của đơn vị hoặc Vụ Tổ chức cán bộ"
DEFAULT_CONTACT_EN = (
    "your unit's emulation and commendation officer or the Department of Organisation and Personnel"
    " (Vụ Tổ chức cán bộ), who answer in Vietnamese"
)


class Config(_Section):
    telegram: TelegramSettings = TelegramSettings()
    knowledge: KnowledgeSettings = KnowledgeSettings()
    storage: StorageSettings = StorageSettings()
    matching: MatchingSettings = MatchingSettings()
    reminders: RemindersSettings = RemindersSettings()
    limits: LimitsSettings = LimitsSettings()
    handoff: HandoffSettings = HandoffSettings()
    contact: str = DEFAULT_CONTACT
    contact_en: str = ""
    log_level: Annotated[str, StringConstraints(pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")] = "INFO"


def english_contact(config: Config) -> str:
    """The contact English replies name: `contact_en`; for the shipped `contact`, its English wording; else ""
    (the answerer then names `contact` and says it answers in Vietnamese)."""
    if config.contact_en.strip():
        return config.contact_en.strip()
    return DEFAULT_CONTACT_EN if config.contact == DEFAULT_CONTACT else ""


def _apply_env(data: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    if env.get(TOKEN_ENV):
        data.setdefault("telegram", {})["token"] = env[TOKEN_ENV]
    if env.get(SECRET_ENV):
        data.setdefault("storage", {})["user_key_secret"] = env[SECRET_ENV]
    return data


def _resolve_paths(config: Config, base: Path) -> Config:
    """Relative paths in a config file are relative to the file's folder."""
    knowledge = config.knowledge.path if config.knowledge.path.is_absolute() else base / config.knowledge.path
    deadlines = config.knowledge.deadlines
    if deadlines is not None and not deadlines.is_absolute():
        deadlines = base / deadlines
    cache = config.knowledge.cache
    if isinstance(cache, Path) and not cache.is_absolute():
        cache = base / cache
    storage = config.storage.path if config.storage.path.is_absolute() else base / config.storage.path
    return config.model_copy(
        update={
            "knowledge": config.knowledge.model_copy(
                update={"path": knowledge, "deadlines": deadlines, "cache": cache}
            ),
            "storage": config.storage.model_copy(update={"path": storage}),
        }
    )


def find_config_path(explicit: str | None, env: dict[str, str], cwd: Path) -> Path | None:
    """--config, then $TDKT_CONFIG, then ./config.yaml if present, else none (built-in defaults)."""
    if explicit:
        return Path(explicit)
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    local = cwd / "config.yaml"
    return local if local.is_file() else None


def load_config(path: Path | None, env: dict[str, str] | None = None) -> Config:
    """Read and validate the config; raise ConfigError with one clear line."""
    env = dict(os.environ) if env is None else env
    data: Any = {}
    base = Path.cwd()
    if path is not None:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} not found") from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid YAML: {str(exc).splitlines()[0]}") from None
        data = {} if data is None else data
        if not isinstance(data, dict):
            raise ConfigError(f"config file {path}: expected a mapping of settings at the top level")
        base = path.resolve().parent
    try:
        config = Config.model_validate(_apply_env(data, env))
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        where = f"config file {path}" if path else "configuration"
        got = err.get("input")
        shown = "" if isinstance(got, dict) or key.endswith("token") else f" (got {got!r})"
        raise ConfigError(f"{where}: key '{key}': {err['msg']}{shown}") from None
    return _resolve_paths(config, base)
