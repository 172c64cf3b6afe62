#!/usr/bin/env bash
# Set up BackLog from a source checkout, then open it or test it.
#
#   bash scripts/setup.sh app    system libraries, .venv, BackLog, a demo profile; opens the window
#   bash scripts/setup.sh test   system libraries, .venv, BackLog + test tools; runs the test suite
#   bash scripts/setup.sh deps   only the system libraries, .venv and BackLog + test tools
#
# Extra arguments after "test" go to pytest, after "app" to the backlog command.
# Environment: PYTHON (the Python to use, 3.11 or newer), BACKLOG_DEMO_PROFILE (app mode's
# profile folder, default ~/BackLog-demo).
#
# System libraries are installed with apt-get on Debian and Ubuntu, only when missing (with sudo
# when not run as root). Elsewhere that step is skipped: macOS and Windows need none.
# Keep this script to bash 3.2 features: macOS still ships that version.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.backlog-setup"
MIN_PYTHON="3.11"

# What Qt needs to draw offscreen (tests, CI) ...
OFFSCREEN_PACKAGES="libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0
fonts-dejavu-core"
# Text recognition (OCR) for scanned documents; BackLog works without it, but cannot search scans.
OCR_PACKAGES="tesseract-ocr tesseract-ocr-eng"
# The tests check exported packets with the PDF tools reviewers' offices use (qpdf --check,
# pdftotext, pdftoppm).
TEST_PACKAGES="qpdf poppler-utils"
# ... and what Qt's xcb plugin needs for a real window on X11.
WINDOW_PACKAGES="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0"

say() { printf '%s\n' "$*"; }
fail() {
    printf 'setup: %s\n' "$*" >&2
    exit 1
}

usage() {
    cat >&2 <<'EOF'
Usage: bash scripts/setup.sh app|test|deps [extra arguments]
  app   install what BackLog needs, create a demo profile, open the window
  test  install what the tests need, then run them (extra arguments go to pytest)
  deps  install what the tests need, and nothing else
EOF
    exit 2
}

# --- system libraries (Debian, Ubuntu) -------------------------------------------------------

is_installed() {
    dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q 'ok installed'
}

has_candidate() {
    # True when apt knows a real (not purely virtual) package of that name.
    local candidate
    candidate="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2; exit }')"
    [ -n "$candidate" ] && [ "$candidate" != "(none)" ]
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

venv_package() {
    # The package that gives the chosen Python its venv/ensurepip modules, if it lacks them.
    local python="$1" minor
    if "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        return 0
    fi
    minor="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    printf 'python%s-venv python3-venv\n' "$minor"
}

install_system_packages() {
    local python="$1" wanted="$2" name candidate missing="" chosen="" extra
    if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        case "$(uname -s)" in
            Linux) say "Not a Debian or Ubuntu system: skipping system libraries (Qt needs" \
                "glib, EGL/GL, fontconfig, xkbcommon and, for a window, xcb-cursor)." ;;
        esac
        return 0
    fi
    for name in $wanted; do
        # Ubuntu 24.04 and Debian 13 renamed some libraries with a "t64" suffix.
        if ! is_installed "$name" && ! is_installed "${name}t64"; then
            missing="$missing $name"
        fi
    done
    extra="$(venv_package "$python")"
    if [ -n "$extra" ]; then
        missing="$missing venv"
    fi
    if [ -z "$missing" ]; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
        fail "some system libraries are missing and installing them needs root (there is no" \
            "sudo). As root, run: apt-get install${missing/ venv/ python3-venv};" \
            "then run this script again."
    fi
    say "Installing system libraries…"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update failed."
    for name in $missing; do
        if [ "$name" = venv ]; then
            # python3.X-venv matches the Python in use; python3-venv is the generic fallback.
            for candidate in $extra; do
                if has_candidate "$candidate"; then
                    chosen="$chosen $candidate"
                    break
                fi
            done
        elif has_candidate "$name"; then
            chosen="$chosen $name"
        elif has_candidate "${name}t64"; then
            chosen="$chosen ${name}t64"
        else
            chosen="$chosen $name" # let apt-get say what is wrong with it
        fi
    done
    say "  apt-get install$chosen"
    # dpkg's chatter goes to stdout; apt's errors still reach stderr.
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends $chosen >/dev/null ||
        fail "apt-get could not install:$chosen"
}

# --- Python and the virtual environment ------------------------------------------------------

python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}

choose_python() {
    local candidate
    if [ -n "${PYTHON:-}" ]; then
        python_ok "$PYTHON" || fail "PYTHON=$PYTHON is not Python $MIN_PYTHON or newer."
        printf '%s\n' "$PYTHON"
        return 0
    fi
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    fail "BackLog needs Python $MIN_PYTHON or newer, and none was found." \
        "Install it (for example: apt-get install python3), or set PYTHON=/path/to/python3."
}

python_identity() {
    # Which installation a Python is: a venv reports the Python it was made from.
    "$1" -c 'import sys; print(sys.base_prefix, *sys.version_info[:3])' 2>/dev/null
}

venv_usable() {
    [ -x "$VENV/bin/python" ] && python_ok "$VENV/bin/python" &&
        "$VENV/bin/python" -m pip --version >/dev/null 2>&1
}

make_venv() {
    local python="$1"
    if venv_usable; then
        # Keep a working .venv unless PYTHON asks for a different one.
        if [ -z "${PYTHON:-}" ] ||
            [ "$(python_identity "$VENV/bin/python")" = "$(python_identity "$python")" ]; then
            return 0
        fi
        say "Recreating .venv with $python…"
    else
        say "Creating .venv with $python…"
    fi
    "$python" -m venv --clear "$VENV" ||
        fail "could not create $VENV with $python (on Debian/Ubuntu: apt-get install python3-venv)."
}

install_python_packages() {
    local extras="$1" target fingerprint
    # Skip pip when this .venv already holds an install from the same pyproject.toml: the
    # editable install picks up code changes by itself, only dependency changes need pip.
    fingerprint="$(cksum <"$ROOT/pyproject.toml" | tr -s ' ' '-')"
    if [ -x "$VENV/bin/backlog" ] && [ -f "$STAMP" ] &&
        { grep -qx "$fingerprint $extras" "$STAMP" || grep -qx "$fingerprint test" "$STAMP"; }; then
        return 0
    fi
    target="."
    if [ "$extras" != "app" ]; then
        target=".[$extras]"
    fi
    say "Installing BackLog and its Python packages into .venv (a minute or two the first time)…"
    (cd "$ROOT" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -e "$target") || fail "pip could not install BackLog; see the messages above."
    printf '%s %s\n' "$fingerprint" "$extras" >>"$STAMP"
}

# --- the modes -------------------------------------------------------------------------------

prepare() {
    local mode="$1" packages="$OFFSCREEN_PACKAGES $OCR_PACKAGES" python
    if [ "$mode" = app ]; then
        packages="$packages $WINDOW_PACKAGES"
    else
        packages="$packages $TEST_PACKAGES"
    fi
    python="$(choose_python)"
    install_system_packages "$python" "$packages"
    make_venv "$python"
    if [ "$mode" = app ]; then
        install_python_packages app
    else
        install_python_packages test
    fi
}

run_app() {
    local profile="${BACKLOG_DEMO_PROFILE:-$HOME/BackLog-demo}"
    if [ ! -f "$profile/backlog.sqlite3" ]; then
        say "Creating a demo profile in $profile…"
        "$VENV/bin/backlog" --profile "$profile" demo
    fi
    if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] &&
        [ -z "${QT_QPA_PLATFORM:-}" ]; then
        say "Note: no display found (DISPLAY is not set); the window may not be able to open."
    fi
    say "Opening BackLog with the profile in $profile…"
    exec "$VENV/bin/backlog" --profile "$profile" "$@"
}

main() {
    [ $# -ge 1 ] || usage
    local mode="$1"
    shift
    case "$mode" in
        app)
            prepare app
            run_app "$@"
            ;;
        test)
            prepare test
            say "Running the tests…"
            cd "$ROOT"
            exec "$VENV/bin/python" -m pytest "$@"
            ;;
        deps)
            prepare deps
            say "Ready: $VENV"
            ;;
        *) usage ;;
    esac
}

main "$@"
