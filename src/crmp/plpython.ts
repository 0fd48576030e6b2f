import { sql } from 'kysely';
import { defineModel, pgFunction } from '../model';
import { crmp } from './model';

/**
 * PyCDS's station query written in PL/Python, an untrusted language: privileged,
 * and only where the `plpython3u` extension is installed in the database (the
 * default model does not need it).
 */
export const queryOneStationPy = pgFunction('query_one_station_py', {
  args: [{ name: 'p_station_id', type: 'integer' }],
  returns: 'text',
  language: 'plpython3u',
  volatility: 'stable',
  privileged: true,
  body: (s) => sql`
plan = plpy.prepare("select " + plpy.quote_ident(${s.literal}) + ".getstationvariabletable($1, false) as q", ["integer"])
return plpy.execute(plan, [p_station_id])[0]["q"]
`,
});

/** The CRMP model plus its PL/Python function (`create extension plpython3u` first). */
export const crmpWithPlpython = defineModel({ ...crmp, functions: [...crmp.functions, queryOneStationPy] });
