import type { SimContext, SimModule } from '../context';

export function epaymentModule(_ctx: SimContext): SimModule {
  return { routes: [] };
}
