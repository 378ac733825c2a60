import { fault } from './errors.js';
import { toEc2Error } from './ec2/common.js';
import { keyPairOperations } from './ec2/key-pairs.js';
import { launchTemplateOperations } from './ec2/launch-templates.js';
import { networkOperations } from './ec2/network-operations.js';
import { securityGroupOperations } from './ec2/security-group-operations.js';
import { securityGroupRuleOperations } from './ec2/security-group-rules.js';
import { tagOperations } from './ec2/tags.js';
import type { ServiceFake } from './operation.js';

/** The EC2 fake: key pairs (bootstrap) and the network a rollout needs, one file per concern in ec2/. */
export const ec2Fake: ServiceFake = {
  prefix: 'ec2',
  serviceId: 'EC2',
  operations: {
    ...keyPairOperations,
    ...networkOperations,
    ...securityGroupOperations,
    ...securityGroupRuleOperations,
    ...tagOperations,
    ...launchTemplateOperations,
  },
  toError: toEc2Error,
  denied: (message) => fault('UnauthorizedOperation', `You are not authorized to perform this operation. ${message}`, 403),
};
