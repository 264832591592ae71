/**
 * The renderer's modules are written for a page: at load, the bridge looks for the preload and the
 * launch token and i18n reads the chosen language. These logic tests read the modules in Node, so
 * they get a blank page's storage, address and document first (import this before the renderer).
 * Nothing here renders: the tests call the renderer's plain functions.
 */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
}

const page = globalThis as Record<string, unknown>;
page.window ??= globalThis;
page.localStorage ??= new MemoryStorage();
page.sessionStorage ??= new MemoryStorage();
page.location ??= new URL('http://127.0.0.1/');
page.document ??= { documentElement: { lang: '' } };
