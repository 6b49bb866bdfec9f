#!/usr/bin/env bash
# Run every check the CI runs, in the same way: set up .venv if needed (no Debian packages:
# run scripts/setup.sh once for those), then ruff, import contracts, types, spelling,
# translation catalogs and the whole pytest suite headless. Arguments go to pytest, e.g.
#   ./scripts/test.sh -k seal       ./scripts/test.sh -m "not gui"
# Every step runs even after a failure; the exit status is that of the first failed step.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh --skip-system

export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
BIN=.venv/bin
failed=()
status=0

step() {
    local name=$1
    shift
    printf '\n==> %s\n' "$name"
    local rc=0
    "$@" || rc=$?
    if [[ $rc -ne 0 ]]; then
        failed+=("$name (exit $rc)")
        [[ $status -eq 0 ]] && status=$rc
    fi
    return 0
}

step "ruff check" "$BIN/ruff" check .
step "ruff format --check" "$BIN/ruff" format --check .
step "import contracts" "$BIN/lint-imports"
step "mypy" "$BIN/mypy"
step "codespell" "$BIN/codespell"
step "pytest" "$BIN/python" -m pytest -n "${KISI_TEST_WORKERS:-auto}" "$@"

if [[ ${#failed[@]} -ne 0 ]]; then
    printf '\nFailed steps:\n' >&2
    printf '  %s\n' "${failed[@]}" >&2
    exit "$status"
fi
printf '\nAll checks passed.\n'
