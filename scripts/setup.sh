#!/usr/bin/env bash
# Set up KISI Desktop from a source checkout on Debian 12 (or Ubuntu 22.04+):
#   1. the Debian packages in scripts/debian-packages.txt (apt-get, via sudo when not root;
#      skipped when all are installed already),
#   2. a virtual environment in .venv with the app installed in editable mode, plus the
#      test tools (pip install -e '.[test]'),
#   3. the compiled translation catalogs (translations/*/LC_MESSAGES/kisi.mo),
#   4. byte-compiled modules of the app (start-up does not compile ~300 modules each time
#      when PYTHONDONTWRITEBYTECODE is set, as on CI machines).
# Safe to run again; it only does what is missing. Run it as your normal user.
#
# Options:   --skip-system   do not check or install Debian packages
# Variables: PYTHON          interpreter for the venv (default: python3.11, else python3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
STAMP="$VENV/.kisi-installed"

skip_system=0
for arg in "$@"; do
    case "$arg" in
        --skip-system) skip_system=1 ;;
        -h | --help)
            awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
            exit 0
            ;;
        *)
            echo "setup.sh: unknown option: $arg" >&2
            exit 2
            ;;
    esac
done

say() { printf '\n==> %s\n' "$*"; }

install_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "Not a Debian-like system: install the equivalents of scripts/debian-packages.txt yourself"
        return 0
    fi
    local packages=() missing=() name
    while read -r name _; do
        [[ -z "$name" || "$name" == \#* ]] && continue
        packages+=("$name")
    done <"$ROOT/scripts/debian-packages.txt"
    for name in "${packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$name")
        fi
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        say "Debian packages: all ${#packages[@]} present"
        return 0
    fi
    local as_root=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            as_root=(sudo)
        else
            echo "setup.sh: these Debian packages are missing and there is no sudo:" >&2
            echo "  ${missing[*]}" >&2
            echo "Install them as root (apt-get install ${missing[*]}), then run setup.sh again." >&2
            exit 1
        fi
    fi
    say "Installing Debian packages: ${missing[*]}"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
}

find_python() {
    if [[ -n "${PYTHON:-}" ]]; then
        echo "$PYTHON"
    elif command -v python3.11 >/dev/null 2>&1; then
        echo python3.11
    else
        echo python3
    fi
}

create_venv() {
    if [[ -x "$VENV/bin/python" ]]; then
        return 0
    fi
    local python
    python=$(find_python)
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "setup.sh: KISI Desktop needs Python 3.11 or newer; '$python' is not." >&2
        echo "Set PYTHON=/path/to/python3.11 and run again." >&2
        exit 1
    fi
    say "Creating $VENV with $("$python" --version)"
    "$python" -m venv "$VENV"
}

install_app() {
    # Reinstall only when the dependencies may have changed (pyproject.toml is newer).
    if [[ -f "$STAMP" && ! "$ROOT/pyproject.toml" -nt "$STAMP" ]]; then
        say "Python packages: up to date"
        return 0
    fi
    say "Installing KISI Desktop (editable) with the test tools"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -e "$ROOT[test]"
    touch "$STAMP"
}

if [[ $skip_system -eq 0 ]]; then
    install_system_packages
fi
create_venv
install_app
say "Compiling translation catalogs"
"$VENV/bin/python" "$ROOT/tools/i18n.py" compile
say "Byte-compiling the app's modules"
"$VENV/bin/python" -m compileall -q -j 0 "$ROOT/kisi_desktop" >/dev/null
say "Ready. Start the app with .venv/bin/kisi-desktop, run the tests with ./scripts/test.sh"
