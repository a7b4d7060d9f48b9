/**
 * Pseudonyms for a recording: every person's names, username and email are replaced with faker values, the same
 * person (by id) always getting the same ones, and the same seed always giving the same recording. Email addresses
 * found anywhere in text (an abstract, a description) are replaced too.
 */
import { createHash } from 'node:crypto';
import { Faker, en } from '@faker-js/faker';

export interface FakePerson {
  first_name: string;
  last_name: string;
  username: string;
  email: string;
  avatar: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

const slug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[^\w\s.-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '.')
    .replace(/[^a-z0-9.]/g, '');

export class Pseudonyms {
  private people = new Map<string, FakePerson>();
  private emails = new Map<string, string>();
  private usernames = new Set<string>();
  /** addresses this recording made up (never replaced again) */
  private fakes = new Set<string>();
  private readonly faker = new Faker({ locale: [en] });

  constructor(
    private readonly seed: number,
    /** usernames the recording must not hand out (geostub's fixed accounts) */
    reserved: readonly string[] = [],
  ) {
    for (const u of reserved) this.usernames.add(u);
  }

  private seedFor(key: string): number {
    return createHash('sha256').update(`${this.seed}:${key}`).digest().readUInt32BE(0);
  }

  /** The fake identity of a person, by a stable key (`geonode:1004`, `koordinates:7`). */
  person(key: string): FakePerson {
    const hit = this.people.get(key);
    if (hit) return hit;
    this.faker.seed(this.seedFor(key));
    const first = this.faker.person.firstName();
    const last = this.faker.person.lastName();
    let username = slug(`${first}.${last}`).slice(0, 24) || 'user';
    for (let n = 2; this.usernames.has(username); n++) username = `${slug(`${first}.${last}`).slice(0, 20)}${n}`;
    this.usernames.add(username);
    const email = `${username}@example.org`;
    this.fakes.add(email);
    const avatar = `https://www.gravatar.com/avatar/${createHash('md5').update(email).digest('hex')}/?s=240`;
    const p = { first_name: first, last_name: last, username, email, avatar };
    this.people.set(key, p);
    return p;
  }

  /** A fake address for a real one (the same real address always gets the same fake). */
  email(original: string): string {
    const key = original.toLowerCase();
    let fake = this.emails.get(key);
    if (!fake) {
      fake = `contact${this.emails.size + 1}@example.org`;
      this.fakes.add(fake);
      this.emails.set(key, fake);
    }
    return fake;
  }

  /** Every email address inside a text replaced. */
  scrub(text: string): string {
    return text.replace(EMAIL, (m) => (this.fakes.has(m.toLowerCase()) ? m : this.email(m)));
  }

  /** `scrub` applied to every string of a JSON value (in place for objects and arrays; returns the value). */
  scrubAll<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.scrub(v);
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
      } else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) (v as Record<string, unknown>)[k] = walk(x);
      }
      return v;
    };
    return walk(value) as T;
  }
}
