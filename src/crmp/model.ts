import { defineModel, grant, trigger, type DatabaseOf } from '../model';
import { climoPeriod, climoStation, climoStationType, climoStationXMetaHistory, climoValue } from './climo-tables';
import { crmpFunctions } from './functions';
import { metaClimoAttrs, metaContact, metaHistory, metaNativeFlag, metaNetwork, metaPcicFlag, metaSensor, metaStation, metaVars } from './meta-tables';
import { obsDerivedValues, obsRaw, obsRawIdSeq, obsRawNativeFlags, obsRawPcicFlags, timeBounds } from './obs-tables';
import { crmpMaterializedViews, crmpViews } from './views';

/** The schema CRMP databases use unless told otherwise. */
export const CRMP_DEFAULT_SCHEMA = 'crmp';

/**
 * The CRMP climate-station observation schema (after PyCDS), as it stands at the
 * head of `revisions/`. Build it with `createAll(crmp, { db, schema, suRole })`.
 */
export const crmp = defineModel({
  enums: [climoStationType],
  sequences: [obsRawIdSeq],
  tables: [
    metaContact,
    metaNetwork,
    metaStation,
    metaSensor,
    metaHistory,
    metaVars,
    metaNativeFlag,
    metaPcicFlag,
    metaClimoAttrs,
    obsRaw,
    obsRawNativeFlags,
    obsRawPcicFlags,
    obsDerivedValues,
    timeBounds,
    climoPeriod,
    climoStation,
    climoStationXMetaHistory,
    climoValue,
  ],
  functions: crmpFunctions,
  views: crmpViews,
  materializedViews: crmpMaterializedViews,
  triggers: [
    trigger('obs_raw_set_mod_time', { table: 'obs_raw', timing: 'before', events: ['update'], forEach: 'row', function: 'set_mod_time' }),
    trigger('meta_history_mod_time', {
      table: 'meta_history',
      timing: 'before',
      events: ['update'],
      forEach: 'row',
      function: 'moddatetime_wrapper',
      args: ['mod_time'],
    }),
    trigger('meta_station_mod_time', {
      table: 'meta_station',
      timing: 'before',
      events: ['update'],
      forEach: 'row',
      function: 'moddatetime_wrapper',
      args: ['mod_time'],
    }),
  ],
  grants: [
    grant({ privileges: ['select'], on: { table: 'crmp_network_geoserver' }, to: 'public' }),
    grant({ privileges: ['select'], on: { table: 'history_station_network' }, to: 'public' }),
  ],
});

/** The Kysely `Database` of the CRMP schema: `new Kysely<CrmpDatabase>(...)`, then `db.withSchema(schema)`. */
export type CrmpDatabase = DatabaseOf<typeof crmp>;
