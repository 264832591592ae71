/** What the station shows before anything else: the one place that decides between kiosk, sign-in and work. */
export type Gate = 'loading' | 'first-sync' | 'kiosk' | 'sign-in' | 'signed-in';

export interface GateState {
  /** Whether the station has answered who, if anyone, is signed in. */
  ready: boolean;
  signedIn: boolean;
  /** A newly enrolled station still waiting for its first copy from the register. */
  settingUp: boolean;
  /** The unmanned depot's kiosk is switched on for this station. */
  kiosk: boolean;
  /** Staff chose to sign in from the kiosk's start screen. */
  staffMode: boolean;
}

export function gate(s: GateState): Gate {
  if (!s.ready) return 'loading';
  if (s.signedIn) return 'signed-in';
  if (s.settingUp) return 'first-sync';
  // The unmanned depot's kiosk: withdrawals by badge; staff sign in from its start screen.
  if (s.kiosk && !s.staffMode) return 'kiosk';
  return 'sign-in';
}
