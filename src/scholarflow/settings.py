"""Every setting in one place, with one rule for where a value comes from.

Precedence, highest first: command-line flags (the `overrides` given to `load_settings`), then
`SCHOLARFLOW_*` environment variables, then the config file, then the defaults below. The config
file is TOML with the field names as keys (`llm_base_url = "http://localhost:11434/v1"`); it
lives at `$SCHOLARFLOW_CONFIG`, else `<home>/config.toml`, and it is optional.

Why there is no default LLM server: scholarflow answers offline with its template writer. An LLM
is something a user chooses, so the LLM writer refuses to start until a server and a model are
named (`require_llm`) rather than sending anyone's prompts to a provider they never picked.

Why each source is checked on its own: a bad value should be reported where the user can fix it
(the file and key, the environment variable, the flag), in one line, even when a higher source
happens to hide it today.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

from scholarflow.errors import ConfigurationError

ENV_PREFIX = "SCHOLARFLOW_"
CONFIG_ENV = "SCHOLARFLOW_CONFIG"
CONFIG_FILE_NAME = "config.toml"
LOG_FILE_NAME = "logs.db"

Origin = Literal["flag", "env", "config file", "default"]
Layer = Literal["flag", "env", "config file"]

_SECRET_FIELDS = frozenset({"llm_api_key"})


def default_home() -> Path:
    """The user's data directory (`~/.local/share/scholarflow` on Linux)."""
    return Path(platformdirs.user_data_dir("scholarflow"))


def _env_home() -> Path:
    """`$SCHOLARFLOW_HOME` if set and not blank, else the default: what the catalog uses too."""
    home = os.environ.get(f"{ENV_PREFIX}HOME", "").strip()
    return Path(home).expanduser().resolve() if home else default_home()


# --------------------------------------------------------------------------- the model


class _SettingsFields(BaseModel):
    """The fields and their checks, without any environment reading.

    Kept apart from `Settings` so that one source's values (a config file, the flags) can be
    validated on their own: a pydantic-settings model always reads the environment as well,
    which would blame the file for an environment variable's mistake.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    home: Path = Field(
        default_factory=default_home,
        description="where the catalog, the LLM log and the config file live",
    )
    llm_base_url: str | None = Field(
        default=None,
        description="an OpenAI-compatible server, e.g. http://localhost:11434/v1 (no default)",
    )
    llm_model: str | None = Field(default=None, description="the model the server should run")
    llm_api_key: SecretStr | None = Field(default=None, description="sent as a bearer token")
    llm_timeout: float = Field(
        default=60.0, gt=0, allow_inf_nan=False, description="seconds without a byte"
    )
    llm_deadline: float = Field(
        default=120.0,
        gt=0,
        allow_inf_nan=False,
        description="seconds for a whole LLM call: connecting, the reply, retries and waits",
    )
    llm_max_retries: int = Field(default=3, ge=0, le=10)
    llm_temperature: float = Field(default=0.2, ge=0, le=2, allow_inf_nan=False)
    llm_max_tokens: int | None = Field(default=None, ge=1)
    llm_response_format: Literal["auto", "json_schema", "json", "text"] = Field(
        default="auto",
        description="how the model returns the answer's slots: auto (JSON schema, else tagged "
        "text when the server refuses it), json_schema, json (JSON mode) or text (tagged)",
    )
    llm_max_reply_bytes: int = Field(
        default=2 * 1024 * 1024,
        ge=1024,
        description="bytes of one reply (streamed ones carry ~220 bytes per token)",
    )
    log_llm: bool = Field(default=True, description="record every LLM call in <home>/logs.db")
    # `scholarflow serve`; the same defaults as server/limits.py's ServerLimits.
    server_header_timeout: float = Field(
        default=5.0,
        gt=0,
        allow_inf_nan=False,
        description="seconds a client has to send its headers",
    )
    server_body_timeout: float = Field(
        default=15.0, gt=0, allow_inf_nan=False, description="seconds to send the body after them"
    )
    server_max_connections: int = Field(
        default=128, ge=1, description="open connections at once; more are answered 503"
    )
    server_request_timeout: float = Field(
        default=30.0, gt=0, allow_inf_nan=False, description="seconds to answer before a 503"
    )

    @field_validator("home", mode="before")
    @classmethod
    def _home_not_blank(cls, value: object) -> object:
        # Path("") is ".", which would silently put the user's data in the current directory.
        if isinstance(value, str) and not value.strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("home")
    @classmethod
    def _home_absolute(cls, value: Path) -> Path:
        # Resolved once here so that every path derived from home means the same file
        # wherever the process later changes directory.
        return value.expanduser().resolve()

    @field_validator("llm_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        url = value.strip().rstrip("/")
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
            raise ValueError("must be an http:// or https:// URL, e.g. http://localhost:11434/v1")
        return url

    @field_validator("llm_model", "llm_api_key", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `llm_model = ""` in a file or an exported empty variable means "not set", not a
        # model literally named "".
        if isinstance(value, str):
            return value.strip() or None
        return value


class Settings(BaseSettings, _SettingsFields):
    """All settings. `Settings()` reads the environment only; `load_settings()` adds the flags
    and the config file and remembers where each value came from (for `describe`).

    Frozen: a value is decided once, at start-up, and every part of a run sees the same one.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_ignore_empty=True,
        extra="forbid",
        frozen=True,
        validate_default=True,
    )

    _origins: dict[str, Origin] = PrivateAttr(default_factory=dict)

    def origin(self, name: str) -> Origin:
        """Where the value of setting `name` came from."""
        if name not in type(self).model_fields:
            raise KeyError(name)
        if name in self._origins:
            return self._origins[name]
        # Built directly, not by load_settings: all we know is whether a value was given.
        if name not in self.model_fields_set:
            return "default"
        return "env" if env_var(name) in os.environ else "flag"


def field_names() -> tuple[str, ...]:
    """The settings, in the order they are declared (and shown)."""
    return tuple(Settings.model_fields)


def env_var(name: str) -> str:
    """The environment variable of a setting: `llm_base_url` -> `SCHOLARFLOW_LLM_BASE_URL`."""
    return f"{ENV_PREFIX}{name.upper()}"


def flag(name: str) -> str:
    """The command-line flag of a setting: `llm_base_url` -> `--llm-base-url`."""
    return "--" + name.replace("_", "-")


def log_path(settings: Settings) -> Path:
    """The LLM call log: `<home>/logs.db`."""
    return settings.home / LOG_FILE_NAME


def config_file_path(settings_home: Path | None = None) -> Path:
    """`$SCHOLARFLOW_CONFIG` if set, else `<home>/config.toml`.

    `settings_home` is the home already decided (e.g. by a flag); without it, the home is
    `$SCHOLARFLOW_HOME` or the default. A `home` key inside the config file cannot move the
    config file itself, so it is not consulted here.
    """
    explicit = os.environ.get(CONFIG_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser().resolve()
    home = settings_home if settings_home is not None else _env_home()
    return home / CONFIG_FILE_NAME


# --------------------------------------------------------------------------- loading


def load_settings(
    overrides: Mapping[str, object] | None = None, *, config_path: Path | None = None
) -> Settings:
    """Settings from flags > environment > config file > defaults.

    `overrides` are the command-line flags by setting name; a None value means "not given".
    `config_path` names a config file that must exist; without it the file is looked up with
    `config_file_path` and may be absent. Any bad value raises `ConfigurationError` with one
    line naming where it came from (flag, environment variable, or file and key).
    """
    flags = _flag_layer(overrides or {})
    env = _env_layer()
    home = _home_for_config(flags, env)
    path, required = _config_location(config_path, home)
    layers: list[tuple[Layer, dict[str, Any], Path | None]] = [
        ("config file", _file_layer(path, required=required), path),
        ("env", env, None),
        ("flag", flags, None),
    ]
    merged: dict[str, Any] = {}
    origins: dict[str, Origin] = dict.fromkeys(field_names(), "default")
    for layer, values, file in layers:  # lowest precedence first: later layers win
        _validate_layer(layer, values, file)
        merged.update(values)
        origins.update(dict.fromkeys(values, layer))
    settings = _build(merged)
    settings._origins = origins
    return settings


def _flag_layer(overrides: Mapping[str, object]) -> dict[str, Any]:
    """The flags that were given. An unknown name is a bug in the caller, not user input."""
    unknown = sorted(set(overrides) - set(field_names()))
    if unknown:
        raise ValueError(f"unknown settings in overrides: {', '.join(unknown)}")
    return {name: value for name, value in overrides.items() if value is not None}


def _env_layer() -> dict[str, Any]:
    """The raw `SCHOLARFLOW_*` values, read exactly the way `Settings()` reads them."""
    return dict(EnvSettingsSource(Settings)())


def _home_for_config(flags: Mapping[str, Any], env: Mapping[str, Any]) -> Path | None:
    """The home that decides where the config file is: from a flag, else the environment."""
    sources: tuple[tuple[Layer, Mapping[str, Any]], ...] = (("flag", flags), ("env", env))
    for layer, values in sources:
        if "home" in values:
            _validate_layer(layer, {"home": values["home"]}, None)
            return _SettingsFields(home=values["home"]).home
    return None


def _config_location(config_path: Path | None, home: Path | None) -> tuple[Path, bool]:
    """The config file to read, and whether it must exist: a file the user named (by
    argument or `$SCHOLARFLOW_CONFIG`) that is missing is a typo worth reporting; the
    default one is optional."""
    if config_path is not None:
        return config_path.expanduser().resolve(), True
    return config_file_path(home), bool(os.environ.get(CONFIG_ENV, "").strip())


def _file_layer(path: Path, *, required: bool) -> dict[str, Any]:
    """The config file's keys, checked against the settings; {} when an optional file is absent."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as error:
        if required:
            raise ConfigurationError(f"{path}: config file not found") from error
        return {}
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(f"{path}: not valid TOML: {error}") from error
    except UnicodeDecodeError as error:
        raise ConfigurationError(f"{path}: not valid TOML: the file is not UTF-8") from error
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigurationError(f"{path}: cannot read the config file: {reason}") from error
    unknown = [key for key in data if key not in field_names()]
    if unknown:
        raise ConfigurationError(f"{path}: {_unknown_key_message(unknown[0])}")
    return data


def _unknown_key_message(key: str) -> str:
    close = difflib.get_close_matches(key, field_names(), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(field_names())}"
    return f"unknown key {key!r} ({hint})"


def _validate_layer(layer: Layer, values: Mapping[str, Any], file: Path | None) -> None:
    """Check one source's values on their own, so an error names that source."""
    if not values:
        return
    try:
        _SettingsFields.model_validate(dict(values))
    except ValidationError as error:
        raise ConfigurationError(_error_line(layer, error, values, file)) from None


def _build(values: Mapping[str, Any]) -> Settings:
    """The final model. Every value was already checked by its own source."""
    try:
        return Settings(**values)
    except ValidationError as error:  # not expected: kept one line if it ever happens
        raise ConfigurationError(f"invalid settings: {_messages(error, values)}") from None


def _error_line(
    layer: Layer, error: ValidationError, values: Mapping[str, Any], file: Path | None
) -> str:
    """One line per source: `FILE: key: problem`, `SCHOLARFLOW_X: problem`, `--x: problem`."""
    if layer == "config file":
        return f"{file}: {_messages(error, values, where=lambda key: key)}"
    if layer == "env":
        return _messages(error, values, where=env_var)
    return _messages(error, values, where=lambda key: f"{flag(key)} (setting {key})")


def _messages(
    error: ValidationError,
    values: Mapping[str, Any],
    where: Callable[[str], str] = str,
) -> str:
    parts = []
    for detail in error.errors():
        key = str(detail["loc"][0]) if detail["loc"] else "settings"
        message = str(detail["msg"]).removeprefix("Value error, ")
        shown = "" if key in _SECRET_FIELDS or key not in values else f" (got {values[key]!r})"
        parts.append(f"{where(key)}: {message}{shown}")
    return "; ".join(parts).replace("\n", " ")


# --------------------------------------------------------------------------- showing


@dataclass(frozen=True, slots=True)
class SettingRow:
    """One line of `scholarflow config`: the setting, its value as shown, where it came from."""

    name: str
    value_shown: str
    origin: Origin


def describe(settings: Settings) -> list[SettingRow]:
    """Every setting with its value and origin; the API key is only ever "set (hidden)"."""
    return [
        SettingRow(name, _shown(name, getattr(settings, name)), settings.origin(name))
        for name in field_names()
    ]


def _shown(name: str, value: object) -> str:
    if name in _SECRET_FIELDS:
        return "set (hidden)" if value is not None else "not set"
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "true" if value else "false"  # as written in the config file
    return str(value)


# --------------------------------------------------------------------------- the LLM


def require_llm(settings: Settings) -> tuple[str, str]:
    """(base_url, model) for the LLM writer, or one line saying exactly what to set (exit 4).

    Never falls back to a provider: a user who asked for the LLM writer without naming a
    server gets told how to name one.
    """
    base_url, model = settings.llm_base_url, settings.llm_model
    if base_url and model:
        return base_url, model
    server = (
        "set SCHOLARFLOW_LLM_BASE_URL (or --llm-base-url), "
        "e.g. http://localhost:11434/v1 for Ollama"
    )
    model_hint = "set SCHOLARFLOW_LLM_MODEL (or --llm-model), e.g. llama3.1 for Ollama"
    if not base_url and not model:
        raise ConfigurationError(
            f"the LLM writer needs a server: {server}; and a model: {model_hint}"
        )
    if not base_url:
        raise ConfigurationError(f"the LLM writer needs a server: {server}")
    raise ConfigurationError(f"the LLM writer needs a model: {model_hint}")
