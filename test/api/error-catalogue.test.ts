import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/server/errors.js';

describe('the error catalogue', () => {
  it('when the README lists the API errors, then every code of src/server/errors.ts is there with its HTTP status', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(readme, code).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
    }
  });
});
