"""Settings: defaults, the precedence flag > env > config file > default, one-line errors that
name their source, and an API key that never shows."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import pytest

from scholarflow.errors import ConfigurationError
from scholarflow.settings import (
    Settings,
    config_file_path,
    describe,
    load_settings,
    log_path,
    require_llm,
)

SECRET = "sk-test-do-not-print-0123456789"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SCHOLARFLOW_* from the developer's shell, and a data dir that is not theirs."""
    for name in list(os.environ):
        if name.upper().startswith("SCHOLARFLOW_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("SCHOLARFLOW_HOME", str(path))
    return path


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def origins(settings: Settings) -> dict[str, str]:
    return {row.name: row.origin for row in describe(settings)}


def shown(settings: Settings) -> dict[str, str]:
    return {row.name: row.value_shown for row in describe(settings)}


# --------------------------------------------------------------------------- defaults


def test_defaults_name_no_server_and_no_model():
    settings = load_settings()
    assert settings.home == Path(platformdirs.user_data_dir("scholarflow")).resolve()
    assert settings.llm_base_url is None
    assert settings.llm_model is None
    assert settings.llm_api_key is None
    assert (settings.llm_timeout, settings.llm_max_retries) == (60.0, 3)
    assert (settings.llm_temperature, settings.llm_max_tokens) == (0.2, None)
    assert (settings.llm_deadline, settings.llm_max_reply_bytes) == (120.0, 2 * 1024 * 1024)
    assert settings.log_llm is True
    assert set(origins(settings).values()) == {"default"}
    assert shown(settings)["llm_base_url"] == "not set"


def test_home_and_derived_paths(home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    settings = load_settings()
    assert settings.home == home
    assert log_path(settings) == home / "logs.db"
    assert config_file_path() == home / "config.toml"
    assert config_file_path(tmp_path / "other") == tmp_path / "other" / "config.toml"
    monkeypatch.setenv("SCHOLARFLOW_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert config_file_path() == tmp_path / "elsewhere.toml"


def test_relative_home_is_resolved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCHOLARFLOW_HOME", "data")
    assert load_settings().home == tmp_path / "data"
    assert load_settings({"home": "../up"}).home == tmp_path.parent / "up"


# --------------------------------------------------------------------------- sources


def test_environment_overrides_defaults(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCHOLARFLOW_LLM_BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("SCHOLARFLOW_LLM_MODEL", "llama3.1")
    monkeypatch.setenv("SCHOLARFLOW_LLM_TIMEOUT", "12.5")
    monkeypatch.setenv("SCHOLARFLOW_LLM_MAX_TOKENS", "800")
    monkeypatch.setenv("SCHOLARFLOW_LLM_DEADLINE", "30")
    monkeypatch.setenv("SCHOLARFLOW_LLM_MAX_REPLY_BYTES", "65536")
    monkeypatch.setenv("SCHOLARFLOW_LOG_LLM", "false")
    settings = load_settings()
    assert (settings.llm_deadline, settings.llm_max_reply_bytes) == (30.0, 65536)
    assert settings.llm_base_url == "http://localhost:11434/v1"
    assert settings.llm_model == "llama3.1"
    assert settings.llm_timeout == 12.5
    assert settings.llm_max_tokens == 800
    assert settings.log_llm is False
    assert origins(settings)["llm_model"] == "env"
    assert origins(settings)["home"] == "env"
    assert origins(settings)["llm_temperature"] == "default"


def test_empty_environment_variable_counts_as_unset(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCHOLARFLOW_LLM_MODEL", "")
    settings = load_settings()
    assert settings.llm_model is None
    assert origins(settings)["llm_model"] == "default"


def test_config_file_values(home: Path):
    write_config(
        home,
        'llm_base_url = "http://gpu-box:8000/v1/"\n'
        'llm_model = "qwen2.5"\n'
        "llm_max_retries = 0\n"
        "llm_temperature = 0.0\n"
        "log_llm = false\n",
    )
    settings = load_settings()
    assert settings.llm_base_url == "http://gpu-box:8000/v1"  # trailing slash dropped
    assert settings.llm_model == "qwen2.5"
    assert settings.llm_max_retries == 0
    assert settings.llm_temperature == 0.0
    assert settings.log_llm is False
    assert origins(settings)["llm_model"] == "config file"
    assert shown(settings)["log_llm"] == "false"


def test_explicit_config_path_and_scholarflow_config(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    named = tmp_path / "named.toml"
    named.write_text('llm_model = "from-named"\n', encoding="utf-8")
    assert load_settings(config_path=named).llm_model == "from-named"
    by_env = tmp_path / "by-env.toml"
    by_env.write_text('llm_model = "from-env-path"\n', encoding="utf-8")
    monkeypatch.setenv("SCHOLARFLOW_CONFIG", str(by_env))
    assert load_settings().llm_model == "from-env-path"


def test_a_named_config_file_must_exist(home: Path, monkeypatch: pytest.MonkeyPatch):
    missing = home / "missing.toml"
    with pytest.raises(ConfigurationError, match="config file not found") as caught:
        load_settings(config_path=missing)
    assert str(missing) in str(caught.value)
    monkeypatch.setenv("SCHOLARFLOW_CONFIG", str(missing))
    with pytest.raises(ConfigurationError, match="config file not found"):
        load_settings()


def test_home_flag_moves_the_config_file(tmp_path: Path):
    other = tmp_path / "other-home"
    write_config(other, 'llm_model = "in-other-home"\n')
    settings = load_settings({"home": other})
    assert settings.llm_model == "in-other-home"
    assert origins(settings)["home"] == "flag"


def test_precedence_flag_over_env_over_file_over_default(
    home: Path, monkeypatch: pytest.MonkeyPatch
):
    write_config(
        home,
        'llm_base_url = "http://file:1/v1"\nllm_model = "file-model"\nllm_timeout = 30\n',
    )
    monkeypatch.setenv("SCHOLARFLOW_LLM_BASE_URL", "http://env:2/v1")
    monkeypatch.setenv("SCHOLARFLOW_LLM_MODEL", "env-model")
    settings = load_settings({"llm_base_url": "http://flag:3/v1", "llm_model": None})
    assert settings.llm_base_url == "http://flag:3/v1"
    assert settings.llm_model == "env-model"  # the flag was not given (None)
    assert settings.llm_timeout == 30.0
    assert settings.llm_max_retries == 3
    assert origins(settings) | {"home": "env"} == {
        "home": "env",
        "llm_base_url": "flag",
        "llm_model": "env",
        "llm_api_key": "default",
        "llm_timeout": "config file",
        "llm_deadline": "default",
        "llm_max_retries": "default",
        "llm_temperature": "default",
        "llm_max_tokens": "default",
        "llm_max_reply_bytes": "default",
        "llm_response_format": "default",
        "log_llm": "default",
        "server_header_timeout": "default",
        "server_body_timeout": "default",
        "server_max_connections": "default",
        "server_request_timeout": "default",
    }
    assert [row.name for row in describe(settings)][:3] == ["home", "llm_base_url", "llm_model"]


def test_unknown_override_is_a_caller_bug():
    with pytest.raises(ValueError, match="llm_url"):
        load_settings({"llm_url": "http://x"})


# --------------------------------------------------------------------------- errors


def assert_one_line(error: pytest.ExceptionInfo[ConfigurationError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    assert "validation error" not in message.lower()  # no pydantic dump
    assert error.value.exit_code == 4
    return message


def test_bad_toml_names_the_file(home: Path):
    path = write_config(home, 'llm_model = "unterminated\n')
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    message = assert_one_line(caught)
    assert str(path) in message and "not valid TOML" in message


def test_unknown_key_names_the_file_and_key(home: Path):
    path = write_config(home, 'llm_url = "http://localhost:11434/v1"\n')
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    message = assert_one_line(caught)
    assert str(path) in message and "'llm_url'" in message
    assert "llm_base_url" in message  # the suggestion


def test_bad_value_in_file_names_the_file_and_key(home: Path, monkeypatch: pytest.MonkeyPatch):
    path = write_config(home, "llm_timeout = -5\n")
    # Even hidden by the environment, a broken file is reported where it can be fixed.
    monkeypatch.setenv("SCHOLARFLOW_LLM_TIMEOUT", "10")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    message = assert_one_line(caught)
    assert message.startswith(f"{path}: llm_timeout:")
    assert "greater than 0" in message


def test_bad_url_in_file(home: Path):
    write_config(home, 'llm_base_url = "localhost:11434"\n')
    with pytest.raises(ConfigurationError, match=r"llm_base_url: must be an http:// or https://"):
        load_settings()


def test_bad_env_value_is_one_line_naming_the_variable(home: Path, monkeypatch):
    monkeypatch.setenv("SCHOLARFLOW_LLM_TIMEOUT", "abc")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    message = assert_one_line(caught)
    assert message.startswith("SCHOLARFLOW_LLM_TIMEOUT:")
    assert "'abc'" in message


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("llm_max_retries", 11, "less than or equal to 10"),
        ("llm_temperature", 2.5, "less than or equal to 2"),
        ("llm_max_tokens", 0, "greater than or equal to 1"),
        ("llm_deadline", "-1", "greater than 0"),
        ("llm_deadline", "soon", "valid number"),
        ("llm_max_reply_bytes", 10, "greater than or equal to 1024"),
    ],
)
def test_bad_flag_value_names_the_setting(name: str, value: object, expected: str):
    with pytest.raises(ConfigurationError) as caught:
        load_settings({name: value})
    message = assert_one_line(caught)
    assert name in message and expected in message


def test_bad_api_key_value_is_not_echoed(home: Path):
    write_config(home, f"llm_api_key = [{SECRET!r}]\n".replace("'", '"'))
    with pytest.raises(ConfigurationError, match="llm_api_key") as caught:
        load_settings()
    assert SECRET not in str(caught.value)


# --------------------------------------------------------------------------- the LLM


def test_require_llm_names_the_missing_server(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCHOLARFLOW_LLM_MODEL", "llama3.1")
    with pytest.raises(ConfigurationError) as caught:
        require_llm(load_settings())
    assert assert_one_line(caught) == (
        "the LLM writer needs a server: set SCHOLARFLOW_LLM_BASE_URL (or --llm-base-url), "
        "e.g. http://localhost:11434/v1 for Ollama"
    )


def test_require_llm_names_the_missing_model(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCHOLARFLOW_LLM_BASE_URL", "http://localhost:11434/v1")
    with pytest.raises(ConfigurationError) as caught:
        require_llm(load_settings())
    message = assert_one_line(caught)
    assert message.startswith("the LLM writer needs a model: set SCHOLARFLOW_LLM_MODEL")
    assert "--llm-model" in message
    assert "SCHOLARFLOW_LLM_BASE_URL" not in message


def test_require_llm_with_neither_names_both(home: Path):
    with pytest.raises(ConfigurationError) as caught:
        require_llm(load_settings())
    message = assert_one_line(caught)
    assert "SCHOLARFLOW_LLM_BASE_URL" in message and "SCHOLARFLOW_LLM_MODEL" in message


def test_require_llm_returns_url_and_model():
    settings = load_settings({"llm_base_url": "http://localhost:8080/v1", "llm_model": "m"})
    assert require_llm(settings) == ("http://localhost:8080/v1", "m")


# --------------------------------------------------------------------------- the key


def test_api_key_never_shown(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCHOLARFLOW_LLM_API_KEY", SECRET)
    settings = load_settings()
    assert settings.llm_api_key is not None
    assert settings.llm_api_key.get_secret_value() == SECRET
    rows = describe(settings)
    assert SECRET not in repr(settings) and SECRET not in str(settings)
    assert all(SECRET not in f"{row!r}{row.value_shown}" for row in rows)
    assert {row.name: row.value_shown for row in rows}["llm_api_key"] == "set (hidden)"
    assert {row.name: row.origin for row in rows}["llm_api_key"] == "env"


def test_api_key_not_set_is_said(home: Path):
    assert shown(load_settings())["llm_api_key"] == "not set"


def test_settings_are_frozen():
    settings = load_settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.llm_model = "changed"  # type: ignore[misc]


def test_settings_built_directly_reads_the_environment(home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SCHOLARFLOW_LLM_MODEL", "direct")
    settings = Settings()
    assert settings.llm_model == "direct"
    assert origins(settings)["llm_model"] == "env"
    assert origins(Settings(llm_timeout=5))["llm_timeout"] == "flag"
