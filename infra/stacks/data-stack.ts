// Stateful resources: the one table and the buckets, encrypted with a customer-managed key and retained
// when the stack is deleted. Built from shared/data/table.ts and the buckets of infra/topology.ts. Also the
// KMS HMAC key the keyring derives learner keys and cursor seals from (shared/adapters/keyring.ts).
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { tableDefinition } from '../../shared/data/table.ts';
import type { BucketDefinition } from '../topology.ts';

export type DataProps = StackProps & {
  bucketDefinitions: BucketDefinition[];
  /** The portal's origins: browsers upload documents straight to S3 with a presigned POST. */
  allowedOrigins: string[];
};

/** Old object versions (of deleted or replaced documents) disappear after this many days. */
export const noncurrentVersionDays = 30;

export class DataStack extends Stack {
  readonly key: Key;
  /** The root of the keyring: functions only ever ask it for a MAC (GenerateMac); it never leaves KMS. */
  readonly hmacKey: Key;
  readonly table: TableV2;
  readonly buckets: Record<BucketDefinition['id'], Bucket>;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id, props);
    this.key = new Key(this, 'DataKey', {
      enableKeyRotation: true,
      description: `${this.stackName}: table, buckets and queues`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Retained like the data it keys: without it the learner items (LEARNER#<HMAC of the national number>) can no
    // longer be found. Not rotated, for the same reason: a new key would orphan every learner key (and KMS does not
    // rotate HMAC keys automatically anyway).
    this.hmacKey = new Key(this, 'HmacKey', {
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      description: `${this.stackName}: HMAC root of the learner keys and the list cursor seals`,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: tableDefinition.globalIndexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      })),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      timeToLiveAttribute: tableDefinition.timeToLive,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Server access logs cannot be delivered to a KMS-encrypted bucket, hence S3-managed encryption here.
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.buckets = {} as Record<BucketDefinition['id'], Bucket>;
    for (const definition of props.bucketDefinitions) {
      const bucket = new Bucket(this, `${definition.id[0]!.toUpperCase()}${definition.id.slice(1)}Bucket`, {
        encryption: BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        versioned: true,
        enforceSSL: true,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${definition.id}/`,
        lifecycleRules: [
          ...definition.expirations.map((e) => ({ id: `expire-${e.prefix}`, prefix: e.prefix, expiration: Duration.days(e.days) })),
          // Deleted personal data must really go: versioning keeps it only as a short safety net.
          {
            id: 'noncurrent-versions',
            noncurrentVersionExpiration: Duration.days(noncurrentVersionDays),
            abortIncompleteMultipartUploadAfter: Duration.days(1),
            expiredObjectDeleteMarker: true,
          },
        ],
        ...(definition.id === 'documents' && props.allowedOrigins.length > 0
          ? { cors: [{ allowedMethods: [HttpMethods.POST, HttpMethods.GET], allowedOrigins: props.allowedOrigins, allowedHeaders: ['*'], maxAge: 3000 }] }
          : {}),
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // On the CloudFormation resource itself: the L2 `eventBridgeEnabled` does it through a custom resource (a
      // Lambda of CDK's with an AWS managed policy) that this bucket, created here, does not need.
      if (definition.eventBridge)
        (bucket.node.defaultChild as CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
      this.buckets[definition.id] = bucket;
      new CfnOutput(this, `${definition.id}BucketName`, { value: bucket.bucketName });
    }
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}
