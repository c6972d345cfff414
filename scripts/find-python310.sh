#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, in this order: $PYTHON,
# python3.10 on PATH (if it really runs), pyenv's 3.10. Rasa 3.6 needs 3.10.
set -u
is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

if [ -n "${PYTHON:-}" ]; then
  if is_310 "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a working Python 3.10" >&2; exit 1
fi
if command -v python3.10 >/dev/null 2>&1 && is_310 python3.10; then
  command -v python3.10; exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
    candidate="$(pyenv root)/versions/$version/bin/python3.10"
    if is_310 "$candidate"; then echo "$candidate"; exit 0; fi
  done
fi
echo "Python 3.10 is required (Rasa 3.6 supports 3.8-3.10) and none was found." >&2
echo "Install Python 3.10, or point PYTHON=/path/to/python3.10 at one." >&2
exit 1
