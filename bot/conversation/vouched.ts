/**
 * TurnState key for the user's role as the channel vouches for it: a Direct Line token from the EHR's login
 * page carries the role the EHR already knows, so the bot takes it instead of asking.
 */
export const VOUCHED_ROLE = Symbol.for('elbow.vouchedRole');
