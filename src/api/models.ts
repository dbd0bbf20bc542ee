/** Model names from GET /models, which may list strings or {id|name} objects. */
export function modelNames(models: unknown): string[] {
  if (!Array.isArray(models)) {
    return [];
  }
  const names: string[] = [];
  for (const m of models) {
    if (typeof m === 'string' && m) {
      names.push(m);
    } else if (m && typeof m === 'object') {
      const record = m as Record<string, unknown>;
      const name = record.id ?? record.name ?? record.model;
      if (typeof name === 'string' && name) {
        names.push(name);
      }
    }
  }
  return names;
}
