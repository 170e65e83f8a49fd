import type { Datamodel } from '../../src/db/index.ts';

const ruleLine = /^\s*@@?(allow|deny)\(/;

/**
 * A fixture's datamodel as if its schema said `/// @@allow("all", true)` above every model and
 * had no other access rule: the variant suites about something else than the rules run on, so
 * they go through the enforcing client (`ctx.db`) and its write path exactly as production does.
 * Rules live only in the `///` documentation, so the generated client stays the fixture's own.
 */
export function allowAll(datamodel: Datamodel): Datamodel {
  const copy = structuredClone(datamodel) as Datamodel;
  const strip = (doc: string | undefined) => (doc ?? '').split('\n').filter((line) => !ruleLine.test(line)).join('\n');
  for (const model of copy.models as unknown as { documentation?: string; fields: { documentation?: string }[] }[]) {
    model.documentation = ['@@allow("all", true)', strip(model.documentation)].filter(Boolean).join('\n');
    for (const field of model.fields) if (field.documentation !== undefined) field.documentation = strip(field.documentation);
  }
  return copy;
}
