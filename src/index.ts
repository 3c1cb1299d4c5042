// cdk-fast-lex: jsii constructs that make Amazon Lex V2 bots answer fast.
// The Node-only parts are separate entry points: `cdk-fast-lex/runtime` (for Lambda authors) and `cdk-fast-lex/testing`.
export * from './constructs';
export * from './checks';
