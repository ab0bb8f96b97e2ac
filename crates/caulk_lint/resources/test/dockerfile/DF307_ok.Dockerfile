FROM ruby:3.3-slim
WORKDIR /app
# Versions via name:version and -v; a local .gem file.
RUN gem install --no-document bundler:2.5.18 \
    && gem install --no-document rails -v 7.1.3 \
    && gem install --no-document ./vendor/internal-1.0.0.gem
COPY Gemfile Gemfile.lock ./
RUN bundle install
