"""The `zhaoshang` command as the README shows it, outside `make`: from a source checkout it
behaves as `make run` does (debug on, the generated key kept under var/); in production
mode without a key it says in one line what to set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHOW = "from django.conf import settings; print(settings.DEBUG, settings.VAR_DIR, settings.SECRET_KEY)"

FIELD_KEY = "Y29tbWFuZC1saW5lLXRlc3RzLWZpZWxkLWtleS0zMmI="  # 32 bytes: a valid Fernet key

pytestmark = pytest.mark.slow


def run(args, cwd, **env):
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith("ZHAOSHANG_") and key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    # This checkout's code, whichever directory the command is started from.
    clean["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "zhaoshang", *args], cwd=cwd, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_from_a_checkout_it_uses_the_generated_key_and_debug_as_make_run(tmp_path):
    var = tmp_path / "var"
    first = run(["shell", "--no-imports", "-c", SHOW], cwd=tmp_path, ZHAOSHANG_VAR_DIR=str(var))
    assert first.returncode == 0, first.stderr
    debug, var_dir, key = first.stdout.split()
    assert debug == "True" and Path(var_dir) == var
    assert (var / "secret_key").read_text().strip() == key
    again = run(["shell", "--no-imports", "-c", SHOW], cwd=tmp_path, ZHAOSHANG_VAR_DIR=str(var))
    assert again.stdout.split()[2] == key  # the same key: sessions survive


def test_from_another_directory_it_uses_the_checkouts_var(tmp_path):
    done = run(["shell", "--no-imports", "-c", SHOW], cwd=tmp_path, ZHAOSHANG_DEBUG="1", ZHAOSHANG_SECRET_KEY="k" * 50)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.split()[1]) == REPO / "var"


def test_a_key_set_means_production_mode_unless_debug_is_asked_for(tmp_path):
    done = run(["shell", "--no-imports", "-c", SHOW], cwd=tmp_path, ZHAOSHANG_SECRET_KEY="k" * 50, ZHAOSHANG_ALLOWED_HOSTS="x.example",
               ZHAOSHANG_FIELD_KEY=FIELD_KEY)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "False"


def test_production_mode_without_a_key_says_what_to_set_in_one_line(tmp_path):
    done = run(["kpi", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31"], cwd=tmp_path,
               ZHAOSHANG_DEBUG="0", ZHAOSHANG_VAR_DIR=str(tmp_path / "var"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "ZHAOSHANG_SECRET_KEY" in lines[0] and lines[0].startswith("zhaoshang:")
    assert done.stdout == ""


def test_production_mode_without_the_field_key_says_what_to_set_in_one_line(tmp_path):
    done = run(["kpi", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31"], cwd=tmp_path,
               ZHAOSHANG_DEBUG="0", ZHAOSHANG_SECRET_KEY="k" * 50, ZHAOSHANG_VAR_DIR=str(tmp_path / "var"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zhaoshang: ZHAOSHANG_FIELD_KEY must be set"), done.stderr
    assert not (tmp_path / "var" / "field_key").exists()  # production never makes its own key


def test_a_malformed_field_key_is_named_not_a_traceback(tmp_path):
    done = run(["kpi", "--zone", "yqgxq", "--from", "2024-01-01", "--to", "2024-12-31"], cwd=tmp_path,
               ZHAOSHANG_DEBUG="0", ZHAOSHANG_SECRET_KEY="k" * 50, ZHAOSHANG_FIELD_KEY=f"{FIELD_KEY},too-short")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == ("zhaoshang: ZHAOSHANG_FIELD_KEY: key 2 of 2 is not a Fernet key "
                                   "(32 bytes in URL-safe base64, 44 characters ending in '=').")


def test_from_a_checkout_the_field_key_is_generated_once_and_kept(tmp_path):
    var = tmp_path / "var"
    show = "from django.conf import settings; print(settings.ZHAOSHANG_FIELD_KEY[0])"
    first = run(["shell", "--no-imports", "-c", show], cwd=tmp_path, ZHAOSHANG_VAR_DIR=str(var))
    assert first.returncode == 0, first.stderr
    assert (var / "field_key").read_text().strip() == first.stdout.strip()
    assert oct((var / "field_key").stat().st_mode & 0o777) == "0o600"
    again = run(["shell", "--no-imports", "-c", show], cwd=tmp_path, ZHAOSHANG_VAR_DIR=str(var))
    assert again.stdout == first.stdout  # the development phones stay readable
