import {
  DuplicateListenerException,
  DuplicateLoadBalancerNameException,
  DuplicateTagKeysException,
  DuplicateTargetGroupNameException,
  ElasticLoadBalancingV2ServiceException,
  InvalidConfigurationRequestException,
  InvalidSecurityGroupException,
  InvalidSubnetException,
  InvalidTargetException,
  ListenerNotFoundException,
  LoadBalancerNotFoundException,
  OperationNotPermittedException,
  ResourceInUseException,
  SubnetNotFoundException,
  TargetGroupAssociationLimitException,
  TargetGroupNotFoundException,
  TooManyTagsException,
  UnsupportedProtocolException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { fault, toSdkError, type ExceptionTable } from './errors.js';
import { listenerOperations } from './elbv2/listeners.js';
import { loadBalancerOperations } from './elbv2/load-balancers.js';
import { tagOperations } from './elbv2/tags.js';
import { targetGroupOperations } from './elbv2/target-groups.js';
import { targetOperations } from './elbv2/targets.js';
import type { ServiceFake } from './operation.js';

export { LOAD_BALANCER_PROVISIONING_MS } from './elbv2/load-balancers.js';

/**
 * Wire codes the ELBv2 model names (its awsQueryError codes drop the "Exception" the classes carry),
 * and the classes @aws-sdk/client-elastic-load-balancing-v2 throws for them. ValidationError and
 * AccessDenied are not modeled: they arrive as ElasticLoadBalancingV2ServiceException named by the code.
 */
const exceptions: ExceptionTable = {
  base: ElasticLoadBalancingV2ServiceException,
  modeled: {
    DuplicateListener: DuplicateListenerException,
    DuplicateLoadBalancerName: DuplicateLoadBalancerNameException,
    DuplicateTagKeys: DuplicateTagKeysException,
    DuplicateTargetGroupName: DuplicateTargetGroupNameException,
    InvalidConfigurationRequest: InvalidConfigurationRequestException,
    InvalidSecurityGroup: InvalidSecurityGroupException,
    InvalidSubnet: InvalidSubnetException,
    InvalidTarget: InvalidTargetException,
    ListenerNotFound: ListenerNotFoundException,
    LoadBalancerNotFound: LoadBalancerNotFoundException,
    OperationNotPermitted: OperationNotPermittedException,
    ResourceInUse: ResourceInUseException,
    SubnetNotFound: SubnetNotFoundException,
    TargetGroupAssociationLimit: TargetGroupAssociationLimitException,
    TargetGroupNotFound: TargetGroupNotFoundException,
    TooManyTags: TooManyTagsException,
    UnsupportedProtocol: UnsupportedProtocolException,
  },
  senderType: true,
};

/** The Elastic Load Balancing v2 fake: the Application Load Balancer a Fargate service sits behind (reference §4–§6). */
export const elbv2Fake: ServiceFake = {
  prefix: 'elasticloadbalancing',
  serviceId: 'Elastic Load Balancing v2',
  operations: {
    ...loadBalancerOperations,
    ...targetGroupOperations,
    ...targetOperations,
    ...listenerOperations,
    ...tagOperations,
  },
  toError: (f, requestId) => toSdkError(f, exceptions, requestId),
  denied: (message) => fault('AccessDenied', message, 403),
};
