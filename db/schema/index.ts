/**
 * Data model v1 of a Depot Station's local database, one file per domain.
 *
 * Stock is an append-only ledger (`movements`); `balances` is derived from it by a trigger in
 * the same statement, and `audit_log` is append-only too (see the triggers in the migration).
 * IDs are UUIDv7 strings so stations can create records offline without collisions.
 * Times are integer milliseconds since the Unix epoch (UTC).
 *
 * The fixed lists the check constraints allow live in vocabulary/domain.ts and are re-exported
 * here, so `db/schema` still names every table, list and type of the model.
 */
export * from '../../vocabulary/domain';
export * from './sites';
export * from './station';
export * from './articles';
export * from './individuals';
export * from './users';
export * from './stock';
export * from './audit';
export * from './sync';
export * from './workflows';
export * from './printing';
export * from './replenishment';
export * from './service';
export * from './maintenance';
export * from './counts';
export * from './sessions';
