#!/usr/bin/env bash
# Installs the built cdk-fast-lex wheel into a fresh virtual environment, with aws-cdk-lib and constructs from PyPI at
# the versions the library is built against, and runs the Python consumer app's pytest suite with a PATH that holds
# Node 24 and the venv only (no esbuild, no Docker, no node_modules/.bin).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
APP="$ROOT/test/python/app"

shopt -s nullglob
wheels=("$ROOT"/dist/python/cdk_fast_lex-*.whl)
shopt -u nullglob
if [ "${#wheels[@]}" -ne 1 ]; then
  echo "python consumer: expected one wheel dist/python/cdk_fast_lex-*.whl, found ${#wheels[@]}; run 'npx projen package:python'" >&2
  exit 2
fi

# The repository's Node 24 (the `node` devDependency), resolved to its real binary so that only its directory goes on PATH.
NODE=$("$ROOT/node_modules/.bin/node" -p process.execPath)
NODE_DIR=$(dirname "$NODE")
version_of() { "$NODE" -p "require('$ROOT/node_modules/$1/package.json').version"; }
CDK_VERSION=$(version_of aws-cdk-lib)
CONSTRUCTS_VERSION=$(version_of constructs)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cdk-fast-lex-python-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

started=$SECONDS
python3 -m venv "$WORK/venv"
# pip's cache stays on: aws-cdk-lib is a large wheel and the venv is new every run.
if ! "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check \
  "${wheels[0]}" "aws-cdk-lib==$CDK_VERSION" "constructs==$CONSTRUCTS_VERSION" 'pytest>=8,<10' >"$WORK/pip.log" 2>&1; then
  if grep -q "No matching distribution found for aws-cdk-lib" "$WORK/pip.log"; then
    # The wheel requires aws-cdk-lib >= the version the library builds against: if PyPI lacks it, no Python user can install.
    newest=$(sed -n 's/.*requirement aws-cdk-lib==.*(from versions: .* \([0-9.]*\))$/\1/p' "$WORK/pip.log")
    echo "python consumer: aws-cdk-lib==$CDK_VERSION (the version in node_modules, and the wheel's minimum) is not on PyPI" \
      "(newest there: ${newest:-unknown}). Python users cannot install cdk-fast-lex until it is, or until the library" \
      "builds against a version PyPI has (CDK_VERSION in .projenrc.ts)." >&2
  else
    cat "$WORK/pip.log" >&2
  fi
  exit 3
fi
echo "python consumer: venv with $(basename "${wheels[0]}"), aws-cdk-lib $CDK_VERSION, constructs $CONSTRUCTS_VERSION ready in $((SECONDS - started)) s"

cd "$APP"
# A clean environment: the synth must not find esbuild or Docker, and leaves no caches in the repository.
started=$SECONDS
status=0
env -i \
  HOME="$HOME" TMPDIR="${TMPDIR:-/tmp}" LANG=C.UTF-8 \
  PATH="$WORK/venv/bin:$NODE_DIR" \
  PYTHONDONTWRITEBYTECODE=1 \
  "$WORK/venv/bin/python" -m pytest -v -p no:cacheprovider "$@" || status=$?
echo "python consumer: pytest finished in $((SECONDS - started)) s with exit code $status"
exit "$status"
