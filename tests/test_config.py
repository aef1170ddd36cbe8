"""Settings: defaults, validation messages naming the key, environment overrides and relative paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHIPPED_KNOWLEDGE, write_yaml

from bot.config import BUNDLED_KNOWLEDGE, find_config_path, load_config
from bot.core.errors import ConfigError
from bot.core.matcher import MatchSettings

TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345"


def test_defaults_without_a_file() -> None:
    config = load_config(None, env={})
    assert config.knowledge.path == BUNDLED_KNOWLEDGE == SHIPPED_KNOWLEDGE
    assert config.matching.to_settings() == MatchSettings()
    assert not config.telegram.has_token()


def test_empty_file_means_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("# nothing set\n", encoding="utf-8")
    assert load_config(path, env={}).matching.answer_threshold == MatchSettings().answer_threshold


def test_relative_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "etc" / "bot.yaml", {"knowledge": {"path": "kb"}, "storage": {"path": "db.sqlite3"}})
    config = load_config(path, env={})
    assert config.knowledge.path == tmp_path / "etc" / "kb"
    assert config.storage.path == tmp_path / "etc" / "db.sqlite3"


def test_environment_overrides_token_and_secret(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "c.yaml", {"telegram": {"token": "1:old"}})
    config = load_config(path, env={"TDKT_BOT_TOKEN": TOKEN, "TDKT_USER_KEY_SECRET": "s3cret"})
    assert config.telegram.token == TOKEN
    assert config.telegram.has_token()
    assert config.storage.user_key_secret == "s3cret"


@pytest.mark.parametrize("token", ["", "YOUR_TOKEN_HERE", "not a token", "12:short", "123456:short-xxx"])
def test_placeholder_or_malformed_tokens_do_not_count(token: str) -> None:
    assert not load_config(None, env={"TDKT_BOT_TOKEN": token} if token else {}).telegram.has_token()


@pytest.mark.parametrize(
    "token", ["123456789:AAHere-your-token-xxxxxxxxxxxxxxxx", "987654:tokenTOKENtokenTOKEN_here12"]
)
def test_a_real_token_shape_counts_whatever_letters_it_holds(token: str) -> None:
    # Real tokens can contain "here", "your", "xxx" or "token": only the shape is judged.
    assert load_config(None, env={"TDKT_BOT_TOKEN": token}).telegram.has_token()


def test_an_unknown_time_zone_is_a_config_error(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "config.yaml", {"reminders": {"timezone": "Asia/Hanoi_City"}})
    with pytest.raises(ConfigError, match=r"reminders\.timezone"):
        load_config(path, env={})


@pytest.mark.parametrize(
    ("data", "key", "shown"),
    [
        ({"matching": {"answer_threshold": "high"}}, "matching.answer_threshold", "'high'"),
        ({"matching": {"max_suggestions": 9}}, "matching.max_suggestions", "9"),
        ({"reminders": {"send_at": "8h"}}, "reminders.send_at", "'8h'"),
        ({"telegram": {"webhook": {"port": 70000}}}, "telegram.webhook.port", "70000"),
        ({"limits": {"unknown_key": 1}}, "limits.unknown_key", "1"),
        ({"log_level": "LOUD"}, "log_level", "'LOUD'"),
    ],
)
def test_bad_value_names_the_key(tmp_path: Path, data: dict[str, object], key: str, shown: str) -> None:
    path = write_yaml(tmp_path / "c.yaml", data)
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message and f"key '{key}'" in message and shown in message


def test_thresholds_out_of_order(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "c.yaml", {"matching": {"answer_threshold": 40, "suggest_threshold": 50}})
    with pytest.raises(ConfigError, match="suggest_threshold must not exceed answer_threshold"):
        load_config(path, env={})


def test_a_bad_token_is_not_echoed(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "c.yaml", {"telegram": {"token": ["123456:SECRET"]}})
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert "telegram.token" in str(info.value)
    assert "SECRET" not in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [("a: [\n", "not valid YAML"), ("- a\n- b\n", "expected a mapping")],
)
def test_unreadable_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path, env={})


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml", env={})


def test_find_config_path_precedence(tmp_path: Path) -> None:
    env = {"TDKT_CONFIG": "/etc/from-env.yaml"}
    assert find_config_path("flag.yaml", env, tmp_path) == Path("flag.yaml")
    assert find_config_path(None, env, tmp_path) == Path("/etc/from-env.yaml")
    assert find_config_path(None, {}, tmp_path) is None
    (tmp_path / "config.yaml").write_text("{}\n", encoding="utf-8")
    assert find_config_path(None, {}, tmp_path) == tmp_path / "config.yaml"
    assert find_config_path(None, env, tmp_path) == Path("/etc/from-env.yaml")
