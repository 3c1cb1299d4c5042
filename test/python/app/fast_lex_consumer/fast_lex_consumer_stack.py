"""A stack a Python user would write against the published cdk-fast-lex wheel: cache table, Lex fulfillment, demo calls, web chat."""
from aws_cdk import Stack, aws_iam as iam, aws_lex as lex, aws_secretsmanager as secretsmanager
from constructs import Construct

from cdk_fast_lex import (
    CachedLexFulfillment,
    DemoCallWorkflow,
    IntentResponse,
    LexWebChat,
    ResponseCacheTable,
    ResponseCacheTableOptions,
    WorkflowIntent,
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

        self.bot = self._bot()

        self.fulfillment = CachedLexFulfillment(
            self,
            "Fulfillment",
            bot=self.bot,
            existing_cache_table=self.cache.table,
            call_context=self.workflow,
            intents=[
                IntentResponse(
                    intent_name="GreetingIntent",
                    static_answer=GREETING_ANSWER,
                    prompt="Greet a caller of the Atlas Engine demo line in one friendly sentence.",
                )
            ],
            workflow_intents=[
                WorkflowIntent(
                    intent_name="RequestDemoIntent",
                    workflow=self.workflow,
                    answer=DEMO_ANSWER,
                    input_slots=DEMO_INPUT_SLOTS,
                )
            ],
        )

        # Visitors chat through CloudFront and the proxy, which may call only this bot alias.
        self.web_chat = LexWebChat(
            self,
            "WebChat",
            bot_id=self.bot.attr_id,
            bot_alias_id=self.fulfillment.bot_alias.attr_bot_alias_id,
        )

    @staticmethod
    def _slot(name: str, slot_type: str) -> lex.CfnBot.SlotProperty:
        prompt = lex.CfnBot.PromptSpecificationProperty(max_retries=2, message_groups_list=[
            lex.CfnBot.MessageGroupProperty(message=lex.CfnBot.MessageProperty(
                plain_text_message=lex.CfnBot.PlainTextMessageProperty(value=f"What is your {name}?")))])
        return lex.CfnBot.SlotProperty(name=name, slot_type_name=slot_type, value_elicitation_setting=lex.CfnBot.SlotValueElicitationSettingProperty(
            slot_constraint="Required", prompt_specification=prompt))

    def _bot(self) -> lex.CfnBot:
        """The smallest bot Lex accepts: en_US, one greeting, and the fallback intent every bot must have."""
        role = iam.Role(
            self,
            "BotRole",
            assumed_by=iam.ServicePrincipal("lexv2.amazonaws.com"),
            description="Runtime role of the Atlas Engine bot (speech synthesis for voice)",
        )
        role.add_to_policy(iam.PolicyStatement(actions=["polly:SynthesizeSpeech"], resources=["*"]))

        fulfil = lex.CfnBot.FulfillmentCodeHookSettingProperty(enabled=True)
        return lex.CfnBot(
            self,
            "Bot",
            name="AtlasEngine",
            role_arn=role.role_arn,
            data_privacy={"ChildDirected": False},
            idle_session_ttl_in_seconds=300,
            auto_build_bot_locales=True,
            bot_locales=[
                lex.CfnBot.BotLocaleProperty(
                    locale_id="en_US",
                    nlu_confidence_threshold=0.4,
                    voice_settings=lex.CfnBot.VoiceSettingsProperty(voice_id="Joanna", engine="neural"),
                    intents=[
                        lex.CfnBot.IntentProperty(
                            name="GreetingIntent",
                            sample_utterances=[
                                lex.CfnBot.SampleUtteranceProperty(utterance=u)
                                for u in ("Hello", "Hi there", "Good morning")
                            ],
                            fulfillment_code_hook=fulfil,
                        ),
                        lex.CfnBot.IntentProperty(
                            name="RequestDemoIntent",
                            sample_utterances=[
                                lex.CfnBot.SampleUtteranceProperty(utterance=u)
                                for u in ("I want a demo", "Call me for a demo")
                            ],
                            slots=[self._slot(name, slot_type) for name, slot_type in DEMO_SLOTS],
                            slot_priorities=[
                                lex.CfnBot.SlotPriorityProperty(priority=i + 1, slot_name=name)
                                for i, (name, _) in enumerate(DEMO_SLOTS)
                            ],
                            fulfillment_code_hook=fulfil,
                        ),
                        lex.CfnBot.IntentProperty(
                            name="FallbackIntent",
                            parent_intent_signature="AMAZON.FallbackIntent",
                            fulfillment_code_hook=fulfil,
                        ),
                    ],
                )
            ],
        )
