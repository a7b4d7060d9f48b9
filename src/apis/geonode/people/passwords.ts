/**
 * Django's default password validators as GeoNode enables them: similar to the user's attributes, at least 8
 * characters, not a common password, not entirely numeric. Returns the first message, or undefined.
 */
const COMMON = new Set([
  'password',
  'password1',
  'password123',
  '12345678',
  '123456789',
  '1234567890',
  'qwerty',
  'qwertyuiop',
  'iloveyou',
  'admin123',
  'letmein',
  'welcome',
  'abc12345',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'passw0rd',
  'geonode',
]);

export function passwordProblem(password: unknown, attributes: Record<string, unknown>): string | undefined {
  if (typeof password !== 'string') return 'This field is required.';
  const lower = password.toLowerCase();
  for (const attr of ['username', 'first_name', 'last_name', 'email']) {
    const value = attributes[attr];
    if (typeof value !== 'string' || value.length < 3) continue;
    const parts = [
      value.toLowerCase(),
      ...value
        .toLowerCase()
        .split(/\W+/)
        .filter((p) => p.length >= 3),
    ];
    if (parts.some((p) => lower.includes(p) || p.includes(lower))) {
      return `The password is too similar to the ${attr.replace('_', ' ')}.`;
    }
  }
  if (password.length < 8) return 'This password is too short. It must contain at least 8 characters.';
  if (COMMON.has(lower)) return 'This password is too common.';
  if (/^\d+$/.test(password)) return 'This password is entirely numeric.';
  return undefined;
}
