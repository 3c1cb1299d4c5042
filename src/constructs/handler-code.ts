// Where the constructs find the prebundled Lambda handlers that ship in the npm package (assets/handlers/<name>).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The bundled handler directory: `<package>/assets/handlers/<name>` (lib/constructs -> ../../assets).
 * @internal exported for the tests that read the shipped bundles
 */
export function handlerAssetPath(name: string): string {
  return join(__dirname, '..', '..', 'assets', 'handlers', name);
}

/**
 * `Code.fromAsset` of a prebundled handler. The bundle is made at build time (esbuild), so no consumer needs
 * esbuild or Docker at synth; a missing bundle means a broken checkout or package, and the error says how to fix it.
 */
export function prebundledHandler(name: string): lambda.Code {
  const dir = handlerAssetPath(name);
  if (!existsSync(join(dir, 'index.js'))) {
    throw new Error(
      `cdk-fast-lex: the prebundled handler '${name}' is missing at ${dir}. In a clone of cdk-fast-lex run 'npx projen bundle'; `
      + 'in an installed package, reinstall cdk-fast-lex (the npm package ships assets/handlers).',
    );
  }
  return lambda.Code.fromAsset(dir);
}
