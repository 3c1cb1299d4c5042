"""Synthesizes the consumer stack from the installed cdk-fast-lex wheel and checks the template a Python user deploys."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import aws_cdk as cdk
import cdk_fast_lex
import pytest
from aws_cdk.assertions import Match, Template

from fast_lex_consumer.fast_lex_consumer_stack import (
    DEMO_ANSWER,
    SALESFORCE_EXTERNAL_ID_FIELD,
    FastLexConsumerStack,
)

APP_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(outdir))
    stack = FastLexConsumerStack(app, "FastLexPythonConsumer")
    template = Template.from_stack(stack)
    return stack, template, outdir


def logical_id_of_ref(stack: cdk.Stack, token: str) -> str:
    """The logical id a `{"Ref": ...}` token points at; fails when the token resolves to anything else."""
    resolved = stack.resolve(token)
    assert isinstance(resolved, dict) and list(resolved) == ["Ref"], f"expected a Ref, got {resolved!r}"
    return resolved["Ref"]


def environment_of(stack: cdk.Stack, resources: dict, right_sized) -> dict:
    """The environment variables of a RightSizedFunction's Lambda function, as synthesized."""
    logical_id = stack.get_logical_id(right_sized.function.node.default_child)
    return resources[logical_id]["Properties"]["Environment"]["Variables"]


def prebundled_handlers_in_wheel() -> dict:
    """sha256 of every `assets/handlers/<name>/index.js` in the npm tarball the wheel embeds, by handler name."""
    tarballs = list((Path(cdk_fast_lex.__file__).parent / "_jsii").glob("*.jsii.tgz"))
    assert len(tarballs) == 1, f"expected one embedded npm tarball, found {tarballs}"
    digests = {}
    with tarfile.open(tarballs[0]) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if parts[1:3] == ["assets", "handlers"] and parts[-1] == "index.js" and len(parts) == 5:
                digests[parts[3]] = hashlib.sha256(tar.extractfile(member).read()).hexdigest()
    return digests


def test_a_per_question_intent_reaches_the_handler_configuration(synthesized):
    _stack, _template, outdir = synthesized
    files = list(Path(outdir).glob("**/fast-lex/intents.json"))
    assert len(files) == 1, files
    intents = json.loads(files[0].read_text(encoding="utf-8"))
    assert intents["AboutTechnologyIntent"]["questions"] == {"ignoredWords": ["Atlas"], "nearMatchThreshold": 0.9}
    assert "questions" not in intents["GreetingIntent"]


def test_cache_table_has_the_response_cache_schema(synthesized):
    _, template, _ = synthesized

    template.has_resource(
        "AWS::DynamoDB::Table",
        {
            "Properties": Match.object_like(
                {
                    "TableName": "AtlasEngine-ResponseCache",
                    "BillingMode": "PAY_PER_REQUEST",
                    "KeySchema": [
                        {"AttributeName": "PK", "KeyType": "HASH"},
                        {"AttributeName": "SK", "KeyType": "RANGE"},
                    ],
                    "TimeToLiveSpecification": {"AttributeName": "ttl", "Enabled": True},
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                    "GlobalSecondaryIndexes": [
                        {
                            "IndexName": "GSI1",
                            "KeySchema": [
                                {"AttributeName": "intent", "KeyType": "HASH"},
                                {"AttributeName": "generatedAt", "KeyType": "RANGE"},
                            ],
                            "Projection": {"ProjectionType": "KEYS_ONLY"},
                        }
                    ],
                }
            ),
            "DeletionPolicy": "Retain",
        },
    )


def test_bot_alias_code_hook_names_the_fulfillment_alias_not_the_function(synthesized):
    stack, template, _ = synthesized
    fulfillment = stack.fulfillment.fulfillment_function
    alias_id = logical_id_of_ref(stack, fulfillment.alias.function_arn)

    template.has_resource_properties(
        "AWS::Lex::BotAlias",
        {
            "BotId": {"Fn::GetAtt": [stack.get_logical_id(stack.bot), "Id"]},
            # The version's logical id carries a hash of the bot's content (overridden at synth): resolve it.
            "BotVersion": {"Fn::GetAtt": [stack.resolve(stack.fulfillment.bot_version.logical_id), "BotVersion"]},
            "BotAliasLocaleSettings": [
                {
                    "LocaleId": "en_US",
                    "BotAliasLocaleSetting": {
                        "Enabled": True,
                        "CodeHookSpecification": {
                            "LambdaCodeHook": {"LambdaArn": {"Ref": alias_id}, "CodeHookInterfaceVersion": "1.0"}
                        },
                    },
                }
            ],
        },
    )
    assert template.to_json()["Resources"][alias_id]["Type"] == "AWS::Lambda::Alias"


def test_fulfillment_alias_keeps_two_instances_provisioned(synthesized):
    stack, template, _ = synthesized
    fulfillment = stack.fulfillment.fulfillment_function
    alias_id = logical_id_of_ref(stack, fulfillment.alias.function_arn)

    alias = template.to_json()["Resources"][alias_id]["Properties"]

    assert alias["ProvisionedConcurrencyConfig"] == {"ProvisionedConcurrentExecutions": 2}
    assert alias["FunctionName"] == {"Ref": stack.get_logical_id(fulfillment.function.node.default_child)}
    assert fulfillment.provisioned_concurrency == 2


def test_only_the_bot_alias_may_invoke_the_fulfillment_alias(synthesized):
    stack, template, _ = synthesized
    alias_id = logical_id_of_ref(stack, stack.fulfillment.fulfillment_function.alias.function_arn)

    permissions = template.find_resources(
        "AWS::Lambda::Permission", {"Properties": {"FunctionName": {"Ref": alias_id}}}
    )

    assert len(permissions) == 1
    (permission,) = permissions.values()
    assert permission["Properties"]["Principal"] == "lexv2.amazonaws.com"
    source_arn = json.dumps(permission["Properties"]["SourceArn"])
    assert ":bot-alias/" in source_arn
    assert stack.get_logical_id(stack.fulfillment.bot_alias) in source_arn


def test_demo_request_intent_starts_the_demo_call_workflow(synthesized):
    stack, template, _ = synthesized
    workflow = stack.workflow
    state_machine_id = stack.get_logical_id(workflow.state_machine.node.default_child)

    template.resource_count_is("AWS::StepFunctions::StateMachine", 1)
    machine = template.to_json()["Resources"][state_machine_id]["Properties"]
    assert machine["StateMachineType"] == "STANDARD"
    definition = json.dumps(machine["DefinitionString"])
    assert "waitForTaskToken" in definition
    assert "CallLeadAndScenario" in definition  # the call placed beside the Lead and the scenario
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [{"Ref": stack.get_logical_id(stack.fulfillment.fulfillment_function.role.node.default_child)}],
            "PolicyDocument": {
                "Statement": Match.array_with(
                    # Started by name (the workflow's stateMachineByName): no CloudFormation reference, so no cycle
                    # when the workflow's call flow names this bot's alias.
                    [Match.object_like({"Action": "states:StartExecution", "Resource": stack.resolve(workflow.state_machine_by_name.state_machine_arn)})]
                )
            },
        },
    )
    resources = template.to_json()["Resources"]
    fulfillment_env = environment_of(stack, resources, stack.fulfillment.fulfillment_function)
    workflows = fulfillment_env["FAST_LEX_WORKFLOWS"]
    assert "RequestDemoIntent" in json.dumps(workflows) and DEMO_ANSWER in json.dumps(workflows)
    assert workflow.waits_for_call_completion is True
    create_lead_env = environment_of(stack, resources, workflow.create_lead_function)
    assert create_lead_env["FAST_LEX_SALESFORCE_EXTERNAL_ID_FIELD"] == SALESFORCE_EXTERNAL_ID_FIELD
    template.has_resource_properties(
        "AWS::Events::Rule",
        {"EventPattern": Match.object_like({"source": ["aws.connect"], "detail-type": ["Amazon Connect Contact Event"]})},
    )


def test_every_function_deploys_a_handler_prebundled_in_the_wheel(synthesized):
    _, template, outdir = synthesized
    shipped = prebundled_handlers_in_wheel()
    functions = template.find_resources("AWS::Lambda::Function")

    # CDK's own BucketDeployment handler (LexWebChat uploads its page with it) is CDK's code, not the library's.
    functions = {k: v for k, v in functions.items() if not k.startswith("CustomCDKBucketDeployment")}

    deployed = set()
    for logical_id, function in functions.items():
        key = function["Properties"]["Code"]["S3Key"]
        staged = Path(outdir) / f"asset.{key.removesuffix('.zip')}" / "index.js"
        assert staged.is_file(), f"{logical_id}: no staged asset at {staged}"
        digest = hashlib.sha256(staged.read_bytes()).hexdigest()
        names = [name for name, sha in shipped.items() if sha == digest]
        assert names, f"{logical_id}: its code is not one of the wheel's prebundled handlers {sorted(shipped)}"
        deployed.update(names)

    assert len(functions) == 10
    assert {"lex-fulfillment", "generator-worker", "demo-create-lead", "demo-generate-scenario"} <= deployed
    assert deployed == set(shipped)


def test_web_chat_proxy_sits_behind_an_iam_function_url_and_calls_only_the_bot_alias(synthesized):
    _, template, _ = synthesized

    template.has_resource_properties("AWS::Lambda::Url", {"AuthType": "AWS_IAM", "Qualifier": "live"})
    policies = template.find_resources("AWS::IAM::Policy")
    lex_statements = [
        statement
        for policy in policies.values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if any(str(action).startswith("lex:") for action in (statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]))
    ]
    assert [s["Action"] for s in lex_statements] == ["lex:RecognizeText"]


def test_the_app_synthesizes_with_node_alone_no_esbuild_no_docker(tmp_path):
    # The runner gives a PATH with the venv and Node 24 only: these are the conditions the synth below runs under.
    assert shutil.which("esbuild") is None
    assert shutil.which("docker") is None
    node = shutil.which("node")
    assert node is not None
    assert subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout.startswith("v24.")

    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=APP_DIR,
        env={**os.environ, "CDK_OUTDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    template = json.loads((tmp_path / "FastLexPythonConsumer.template.json").read_text())
    types = [resource["Type"] for resource in template["Resources"].values()]
    assert types.count("AWS::Lambda::Function") == 11  # the library's 10 and CDK's BucketDeployment handler
    assert "AWS::Lex::BotAlias" in types and "AWS::StepFunctions::StateMachine" in types
    assets = json.loads((tmp_path / "FastLexPythonConsumer.assets.json").read_text())["files"]
    # Staged directories zipped at synth; CDK's AWS CLI layer (BucketDeployment, for the web chat page) is a prebuilt .zip.
    assert all(
        asset["source"]["packaging"] == "zip" or asset["source"]["path"].endswith(".zip")
        for asset in assets.values()
        if "asset." in asset["source"]["path"]
    )
