/** The two IPC channels: every call goes through one, every push event through the other. */
export const CALL_CHANNEL = 'depot:call';
export const EVENT_CHANNEL = 'depot:event';
