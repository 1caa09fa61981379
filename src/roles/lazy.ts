/**
 * An object whose every property is made by its factory the first time it is read, then kept:
 * a process builds only what the roles it runs use, and each thing once. A factory may read
 * other properties of the same object (they are made first, on demand).
 */
export function lazily<T extends object>(factories: { [K in keyof T]-?: () => T[K] }): T {
  const made = {} as T;
  for (const key of Object.keys(factories) as Array<keyof T>) {
    let value: T[typeof key];
    let built = false;
    Object.defineProperty(made, key, {
      enumerable: true,
      get: () => {
        if (!built) {
          value = factories[key]();
          built = true;
        }
        return value;
      },
    });
  }
  return made;
}
