// The user's own votes. The service answers a vote with the vote now counted
// (VoteResult.value) but a build does not say how its reader voted, so the answers are kept
// in this browser (per account) to show the user's vote when they come back.
import type { VoteValue } from './model';

const KEY = 'gw2opt.votes';
/** The most votes remembered (the oldest are forgotten first). */
export const MAX_REMEMBERED = 500;

type Memory = Record<string, VoteValue>;

function read(storage: Storage | undefined): Memory {
  try {
    const raw = storage?.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Memory) : {};
  } catch {
    return {};
  }
}

const storage = (): Storage | undefined => {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
};

export function rememberedVote(userId: string, buildId: string, from: Storage | undefined = storage()): VoteValue {
  const value = read(from)[`${userId}:${buildId}`];
  return value === 1 || value === -1 ? value : 0;
}

export function rememberVote(userId: string, buildId: string, value: VoteValue, to: Storage | undefined = storage()) {
  const memory = read(to);
  const key = `${userId}:${buildId}`;
  delete memory[key];
  if (value !== 0) memory[key] = value;
  const keys = Object.keys(memory);
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_REMEMBERED))) delete memory[old];
  try {
    to?.setItem(KEY, JSON.stringify(memory));
  } catch {
    // storage full or disabled: the vote still counts, it is only not shown next time
  }
}
