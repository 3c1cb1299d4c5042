"""The Python consumer app of cdk-fast-lex: a stack built from the published wheel."""
