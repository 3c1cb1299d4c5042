"""A stack a Python user would write against the published cdk-fast-lex wheel: cache table, a FastLexBot, demo calls, web chat."""
from aws_cdk import Stack, aws_secretsmanager as secretsmanager
from constructs import Construct

from cdk_fast_lex import (
    AnswerScope,
    DemoCallWorkflow,
    FastLexBot,
    FastLexIntent,
    FastLexSlot,
    FastLexVoice,
    FastLexWorkflowStart,
    LexWebChat,
    QuestionMatching,
    ResponseCacheTable,
    ResponseCacheTableOptions,
)

# Placeholders in the documented formats; nothing here is deployed by the tests.
CONNECT_INSTANCE_ARN = (
    "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555"
)
CONTACT_FLOW_ID = "66666666-7777-8888-9999-000000000000"
SOURCE_PHONE_NUMBER = "+14155550100"
SALESFORCE_EXTERNAL_ID_FIELD = "Demo_Request_Id__c"
GREETING_ANSWER = "Hello! I'm Atlas. How can I help?"
DEMO_ANSWER = "Thanks! We'll call you in a moment."
# Where each slot of the demo request goes in the workflow's execution input (what its Validate step requires).
DEMO_INPUT_SLOTS = {"lead.lastName": "LastName", "lead.company": "Company", "lead.phone": "PhoneNumber"}


DEMO_SLOTS = (("LastName", "AMAZON.LastName"), ("Company", "AMAZON.FreeFormInput"), ("PhoneNumber", "AMAZON.PhoneNumber"))


class FastLexConsumerStack(Stack):
    """A Lex V2 bot answered from the response cache, whose demo intent starts the outbound-call workflow."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        self.cache = ResponseCacheTable(
            self,
            "Cache",
            table_props=ResponseCacheTableOptions(table_name="AtlasEngine-ResponseCache"),
        )

        self.workflow = DemoCallWorkflow(
            self,
            "DemoCalls",
            connect_instance_arn=CONNECT_INSTANCE_ARN,
            contact_flow_id=CONTACT_FLOW_ID,
            source_phone_number=SOURCE_PHONE_NUMBER,
            salesforce_credentials=secretsmanager.Secret.from_secret_name_v2(
                self, "SalesforceCredentials", "atlas/salesforce-jwt"
            ),
            salesforce_external_id_field=SALESFORCE_EXTERNAL_ID_FIELD,
            default_phone_country="US",
        )

        # The bot and its answers in one definition: FastLexBot builds the CfnBot, its role, the fallback intent,
        # the version, the live alias and the CachedLexFulfillment.
        self.fast_lex_bot = FastLexBot(
            self,
            "Atlas",
            bot_name="AtlasEngine",
            voice=FastLexVoice(voice_id="Joanna", engine="neural"),
            existing_cache_table=self.cache.table,
            call_context=self.workflow,
            intents=[
                FastLexIntent(
                    intent_name="GreetingIntent",
                    utterances=["Hello", "Hi there", "Good morning"],
                    static_answer=GREETING_ANSWER,
                    prompt="Greet a caller of the Atlas Engine demo line in one friendly sentence.",
                ),
                # Each question about the technology gets its own answer; "Atlas" or not, a paraphrase reuses it.
                FastLexIntent(
                    intent_name="AboutTechnologyIntent",
                    utterances=["What technology do you use", "How does it work"],
                    static_answer="Atlas runs on Amazon Lex, Amazon Bedrock and Amazon Connect.",
                    prompt="Answer a question about the technology of the Atlas Engine in two sentences.",
                    answer_scope=AnswerScope.QUESTION,
                    question_matching=QuestionMatching(ignored_words=["Atlas"], near_match_threshold=0.9),
                ),
                FastLexIntent(
                    intent_name="RequestDemoIntent",
                    utterances=["I want a demo", "Call me for a demo"],
                    slots=[FastLexSlot(name=name, slot_type_name=slot_type, prompt=f"What is your {name}?") for name, slot_type in DEMO_SLOTS],
                    static_answer=DEMO_ANSWER,
                    workflow=FastLexWorkflowStart(workflow=self.workflow, input_slots=DEMO_INPUT_SLOTS),
                ),
            ],
        )
        self.bot = self.fast_lex_bot.cfn_bot
        self.fulfillment = self.fast_lex_bot.fulfillment

        # Visitors chat through CloudFront and the proxy, which may call only this bot alias.
        self.web_chat = LexWebChat(
            self,
            "WebChat",
            bot_id=self.bot.attr_id,
            bot_alias_id=self.fulfillment.bot_alias.attr_bot_alias_id,
        )
