/** Which Stripe modes a deployment accepts; a refused mode is recorded `ignored`, never processed. */
export const AcceptedModes = {
  /** Both, kept apart: test-mode events only ever touch test-mode state. */
  both: 'both',
  live: 'live',
  test: 'test',
} as const;
export type AcceptedModes = (typeof AcceptedModes)[keyof typeof AcceptedModes];

export const isAcceptedModes = (value: string): value is AcceptedModes => Object.hasOwn(AcceptedModes, value);

/** Why an event's mode is refused, or undefined when the deployment accepts it. */
export const refusedModeReason = (options: { readonly livemode: boolean; readonly accepted: AcceptedModes }): string | undefined => {
  const mode = options.livemode ? 'live' : 'test';
  return options.accepted === AcceptedModes.both || options.accepted === mode
    ? undefined
    : `${mode}-mode event refused: this deployment accepts ${options.accepted}-mode events only`;
};
