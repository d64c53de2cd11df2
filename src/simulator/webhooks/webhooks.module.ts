import type { SimContext, SimModule } from '../context';

export function webhooksModule(_ctx: SimContext): SimModule {
  return { routes: [] };
}
