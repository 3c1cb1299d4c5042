"""The README's "Use it" app in Python runs as written against the installed wheel and synthesizes the bot path."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[4] / "README.md"


def readme_block(section: str, language: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {section}\n")
    match = re.search(r"```" + language + r"[^\n]*\n(.*?)\n```", text[start:], re.S)
    assert match, f"no {language} block in README section {section!r}"
    return match.group(1)


def test_readme_python_app_synthesizes_the_bot_its_version_and_the_fulfillment_path(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(readme_block("Use it", "python"), encoding="utf-8")
    outdir = tmp_path / "cdk.out"

    run = subprocess.run([sys.executable, str(app)], env={**os.environ, "CDK_OUTDIR": str(outdir)},
                         capture_output=True, text=True, timeout=600)

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    template = json.loads((outdir / "FastLexBot.template.json").read_text(encoding="utf-8"))
    types = {r["Type"] for r in template["Resources"].values()}
    assert {"AWS::Lex::Bot", "AWS::Lex::BotVersion", "AWS::Lex::BotAlias", "AWS::Lambda::Alias"} <= types
    bot = next(r for r in template["Resources"].values() if r["Type"] == "AWS::Lex::Bot")
    assert bot["Properties"]["DataPrivacy"] == {"ChildDirected": False}
    assert [i.get("FulfillmentCodeHook") for i in bot["Properties"]["BotLocales"][0]["Intents"]] == [{"Enabled": True}, {"Enabled": True}]
