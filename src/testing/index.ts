// cdk-fast-lex/testing: the offline test kit (Node only): Lex V2 event builders and local stand-ins for AWS services.
export * from './lex-events';
