export * from './auth.module';
export * from './auth.service';
export * from './users.service';
export * from './scope.service';
export * from './auth-user';
export * from './decorators';
export * from './login-throttler.guard';
export * from './dto/auth.dto';
