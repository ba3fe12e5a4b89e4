import { App } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ConnectWebhooksStack } from '../../lib/connect-webhooks-stack';
import type { StripeConnectWebhooksProps } from '../../lib/stripe-connect-webhooks';

/** A synthesized stack and its template. */
export interface Synthesized {
  readonly stack: ConnectWebhooksStack;
  readonly template: Template;
}

/**
 * A stack with these construct settings. Without `bundle`, esbuild is skipped (asset hashes are placeholders):
 * enough for every assertion on the template, and seconds faster.
 */
export const synthesize = (options: { readonly webhooks?: StripeConnectWebhooksProps; readonly bundle?: boolean; readonly id?: string } = {}): Synthesized => {
  const app = new App(options.bundle === true ? {} : { context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ConnectWebhooksStack(app, options.id ?? 'TestStack', { webhooks: options.webhooks ?? {} });
  return { stack, template: Template.fromStack(stack) };
};

/** The logical ID of a construct's CloudFormation resource. */
export const logicalId = (construct: IConstruct, stack: ConnectWebhooksStack): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);

type Resource = { readonly Properties?: Record<string, unknown> };

/** The properties of one resource, by type and logical ID. */
export const propertiesOf = (template: Template, type: string, id: string): Record<string, unknown> => {
  const resource = template.findResources(type)[id] as Resource | undefined;
  if (resource === undefined) throw new Error(`no ${type} ${id} in the template`);
  return resource.Properties ?? {};
};

/** One IAM statement as synthesized. */
export type Statement = { readonly Effect?: string; readonly Action?: string | readonly string[]; readonly Resource?: unknown };

/** Every statement granted to a role: its inline policies and the AWS::IAM::Policy resources attached to it. */
export const statementsOfRole = (template: Template, roleId: string): Statement[] => {
  const inline = (propertiesOf(template, 'AWS::IAM::Role', roleId).Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  const attached = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) } }));
  return [...inline.map((policy) => policy.PolicyDocument), ...attached.map((policy) => (policy as Resource).Properties?.PolicyDocument as { Statement: Statement[] })].flatMap(
    (document) => document.Statement,
  );
};

/** The actions of some statements, flattened. */
export const actionsOf = (statements: readonly Statement[]): string[] => statements.flatMap((statement) => (statement.Action === undefined ? [] : [statement.Action].flat()));

/**
 * Asserts that a role has an Allow statement with (at least) these actions on this resource. IAM writes a statement
 * of one action as a string, so a single action also matches that form.
 */
export const assessRoleMayOn = (template: Template, options: { readonly roleId: string; readonly actions: readonly string[]; readonly resource: unknown }) => () => {
  const withAction = (action: unknown) =>
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: Match.arrayWith([{ Ref: options.roleId }]),
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Action: action, Resource: options.resource })]) },
    });
  const [single] = options.actions;
  try {
    withAction(Match.arrayWith([...options.actions]));
  } catch (error) {
    if (options.actions.length !== 1 || single === undefined) throw error;
    withAction(single);
  }
};
