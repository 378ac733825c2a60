import type { Tag } from '../state.js';

/** Express Mode services, as the sandbox keeps them (see express.ts). */

export interface EcsExpressConfiguration {
  serviceRevisionArn: string;
  createdAt: number;
  executionRoleArn?: string;
  taskRoleArn?: string;
  taskDefinitionArn?: string;
  cpu: string;
  memory: string;
  cpuArchitecture?: string;
  networkConfiguration?: { subnets?: string[]; securityGroups?: string[] };
  healthCheckPath: string;
  primaryContainer?: Record<string, unknown>;
  scalingTarget?: Record<string, unknown>;
}

export interface EcsExpressService {
  arn: string;
  name: string;
  cluster: string;
  region: string;
  infrastructureRoleArn: string;
  createdAt: number;
  updatedAt: number;
  /** Provisioning ends (status ACTIVE) at this time. */
  activeAt: number;
  /** Set by Delete: DRAINING until then, INACTIVE after. */
  inactiveAt?: number;
  tags: Tag[];
  currentDeployment: string;
  configurations: EcsExpressConfiguration[];
}
