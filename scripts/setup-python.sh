#!/usr/bin/env bash
# Creates .venv with the Python tools the tests use: moto (server mode, the stricter DynamoDB/SQS/Secrets Manager
# backend on 127.0.0.1) and cfn-lint. Idempotent: a venv that already has both is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
MOTO_VERSION='5.2.*'
CFN_LINT_VERSION='1.*'
if [ -x "$VENV/bin/moto_server" ] && [ -x "$VENV/bin/cfn-lint" ]; then
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==${MOTO_VERSION}" "cfn-lint==${CFN_LINT_VERSION}"
echo "python tools ready: $("$VENV/bin/moto_server" --version 2>/dev/null || echo moto) / $("$VENV/bin/cfn-lint" --version)"
