#!/usr/bin/env python3
"""Entry point of the Python consumer app (`cdk synth` runs it through cdk.json)."""
import aws_cdk as cdk

from fast_lex_consumer.fast_lex_consumer_stack import FastLexConsumerStack

app = cdk.App()
FastLexConsumerStack(app, "FastLexPythonConsumer")
app.synth()
