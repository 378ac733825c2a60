/** The ECS slice of the simulated account (placeholder until the ECS fake lands). */
export interface EcsState {
  version?: 1;
}
