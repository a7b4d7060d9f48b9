// typescript-eslint's recommended rules over the sources, scripts and tests (`npm run lint`, and test/source-lint.test.ts).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { URL: 'readonly', console: 'readonly', process: 'readonly' } },
    rules: {
      // a leading underscore marks a parameter or binding kept on purpose (a handler's arity, a rest pattern that drops keys)
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // tests read JSON answers of every shape the APIs send; typing each one would restate the contracts
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
