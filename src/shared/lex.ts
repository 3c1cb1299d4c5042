// Facts of the Amazon Lex V2 platform that constructs refuse at synth and the runtime refuses at start.

/**
 * The test alias every Lex V2 bot has: it runs the draft version, is meant for console testing and has a low
 * concurrency quota, so neither a call flow nor a web chat may use it.
 */
export const LEX_TEST_ALIAS_ID = 'TSTALIASID';
