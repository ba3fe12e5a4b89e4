import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The cdk-nag packs this project answers to: AWS Solutions and Serverless. */
export const nagPacks = (scope?: IConstruct): NagPack[] => [new AwsSolutionsChecks(scope), new ServerlessChecks(scope)];

/**
 * Runs the packs at synthesis through CDK's Validations API (cdk-nag 3 is a policy validation plugin, not an
 * Aspect). Any unacknowledged finding, error or warning, fails `cdk synth` and `cdk deploy`; the findings are
 * printed and written to `cdk.out/validation-report.json`.
 */
export const addNagChecks = (scope: IConstruct): void => {
  Validations.of(scope).addPlugins(...nagPacks(scope));
};
