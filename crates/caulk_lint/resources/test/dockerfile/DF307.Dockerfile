FROM ruby:3.3-slim
# bundler has no version; rake is pinned with name:version.
RUN gem install --no-document bundler rake:13.2.1
