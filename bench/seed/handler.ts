/**
 * The "seed approach" the cold-start benchmark compares against: the straightforward webhook Lambda, with the full
 * stripe package and full AWS SDK clients imported by namespace, clients built at module load, and the signature
 * checked with `stripe.webhooks.constructEvent`. Never deployed; only bundled by bench/cold-start.ts.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import Stripe from 'stripe';
import * as sqs from '@aws-sdk/client-sqs';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as documents from '@aws-sdk/lib-dynamodb';

const stripe = new Stripe(process.env.STRIPE_API_KEY ?? 'sk_test_seed');
const queue = new sqs.SQSClient({});
const table = documents.DynamoDBDocumentClient.from(new dynamodb.DynamoDBClient({}));

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  let received: Stripe.Event;
  try {
    received = stripe.webhooks.constructEvent(event.body ?? '', event.headers['stripe-signature'] ?? '', process.env.STRIPE_WEBHOOK_SECRET ?? '');
  } catch {
    return { statusCode: 400, body: 'invalid signature' };
  }
  await queue.send(new sqs.SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: event.body }));
  await table.send(new documents.PutCommand({ TableName: process.env.LEDGER_TABLE_NAME, Item: { eventId: received.id, status: 'received' } }));
  return { statusCode: 200, body: JSON.stringify({ received: true }) };
};
